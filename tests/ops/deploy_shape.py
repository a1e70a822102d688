"""The reference deployment's files read as Docker and Compose read them, for
``test_deploy_shape.py``: the app stage of ``deploy/Dockerfile`` (its COPY, ENV, WORKDIR and
RUN instructions) laid out as a directory, and each service of ``deploy/compose.yaml`` as a
command and an environment (``${VAR}``, ``${VAR:-default}``, ``${VAR:?error}`` and ``$$``
interpolated as Compose does)."""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# deploy/Dockerfile.dockerignore's patterns below the top level (the rest are whole folders
# that no COPY names).
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache", ".ruff_cache")


@dataclass
class Stage:
    """One build stage: its instructions in order, continuation lines joined."""

    name: str
    instructions: list[tuple[str, str]] = field(default_factory=list)


def dockerfile_stages(path: Path = DEPLOY / "Dockerfile") -> dict[str, Stage]:
    stages: dict[str, Stage] = {}
    current: Stage | None = None
    logical = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not logical and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            logical += line[:-1] + " "
            continue
        logical += line
        instruction, _, args = logical.partition(" ")
        logical = ""
        if instruction.upper() == "FROM":
            words = args.split()
            current = Stage(name=words[-1] if len(words) == 3 and words[1].upper() == "AS" else words[0])
            stages[current.name] = current
        elif current is not None:
            current.instructions.append((instruction.upper(), args.strip()))
    return stages


@dataclass
class Image:
    """The app stage laid out under ``root`` (its WORKDIR), with the ENV it sets."""

    root: Path
    env: dict[str, str]
    workdir: str


def lay_out_image(
    stage: Stage, root: Path, *, from_stage: Mapping[str, Path], run: Any, skip_run: tuple[str, ...]
) -> Image:
    """Carry out ``stage`` into ``root``: COPY from the repository (or, with ``--from=X``, from
    ``from_stage[X]``, the folder standing for that stage's root), ENV, WORKDIR; each RUN's
    ``&&`` steps go to ``run(command, env)`` except those starting with one of ``skip_run``."""
    env: dict[str, str] = {}
    workdir = "/"
    for instruction, args in stage.instructions:
        if instruction == "WORKDIR":
            workdir = args
        elif instruction == "ENV":
            env.update(dict(word.split("=", 1) for word in shlex.split(args)))
        elif instruction == "COPY":
            words = shlex.split(args)
            source_root = ROOT
            if words[0].startswith("--from="):
                source_root = from_stage[words.pop(0).removeprefix("--from=")]
            *sources, dest = words
            for source in sources:
                _copy(source_root / source.lstrip("/"), root / dest, dest.endswith("/"))
        elif instruction == "RUN":
            for step in args.split("&&"):
                step = step.strip()
                if not step.startswith(skip_run):
                    run(step, _in_image(env, workdir, root))
    return Image(root=root, env=_in_image(env, workdir, root), workdir=workdir)


def _copy(source: Path, dest: Path, into: bool) -> None:
    if source.is_dir():
        shutil.copytree(source, dest, ignore=IGNORED, dirs_exist_ok=True)
    else:
        target = dest / source.name if into else dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def _in_image(env: dict[str, str], workdir: str, root: Path) -> dict[str, str]:
    """Paths under the image's WORKDIR point into ``root``."""
    prefix = workdir.rstrip("/") + "/"
    return {k: str(root / v.removeprefix(prefix)) if v.startswith(prefix) else v for k, v in env.items()}


# --- compose.yaml ---------------------------------------------------------------------------
_VARIABLE = re.compile(r"\$\$|\$\{(\w+)(?::([?-])([^}]*))?\}")


def interpolate(value: str, variables: Mapping[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, kind, extra = match.groups()
        if variables.get(name):
            return variables[name]
        if kind == "?":
            raise ValueError(f"compose.yaml: {extra}")
        return extra or ""

    return _VARIABLE.sub(one, value)


@dataclass
class Service:
    name: str
    command: list[str]
    env: dict[str, str]
    healthcheck: list[str] | None
    image: str | None


def compose_services(
    variables: Mapping[str, str], path: Path = DEPLOY / "compose.yaml"
) -> dict[str, Service]:
    spec = yaml.safe_load(path.read_text())
    services = {}
    for name, body in spec["services"].items():
        env = {k: interpolate(str(v), variables) for k, v in (body.get("environment") or {}).items()}
        command = body.get("command") or []
        command = [
            interpolate(word, variables)
            for word in (shlex.split(command) if isinstance(command, str) else command)
        ]
        check = (body.get("healthcheck") or {}).get("test")
        services[name] = Service(
            name=name,
            command=command,
            env=env,
            healthcheck=[interpolate(word, variables) for word in check] if check else None,
            image=body.get("image"),
        )
    return services
