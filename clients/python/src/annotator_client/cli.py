"""The ``annotator`` command line. Exit codes: 0 done, 1 an API error (or a failed job),
2 usage, 3 not signed in (no URL or token, or the server refused it), 4 not found, 5 the
server could not be reached. Progress bars go to stderr; ``--json`` prints JSON on stdout."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .client import Client
from .errors import AnnotatorError, JobFailed, NotAuthenticated, NotFound, ServerUnavailable

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_AUTH, EXIT_NOT_FOUND, EXIT_UNREACHABLE = 0, 1, 2, 3, 4, 5


def config_dir() -> Path:
    """``$ANNOTATOR_CONFIG_DIR``, else the user's config dir (XDG, macOS, Windows)."""
    if explicit := os.environ.get("ANNOTATOR_CONFIG_DIR"):
        return Path(explicit)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "annotator"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "annotator"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "annotator"


def _read(name: str) -> dict[str, Any]:
    path = config_dir() / name
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


def _write_private(name: str, data: dict[str, Any]) -> Path:
    """Write a file only its owner can read (it may hold a token)."""
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out)
    os.chmod(path, 0o600)  # an older file keeps its mode on O_CREAT
    return path


def make_client(args: argparse.Namespace) -> Client:
    saved = _read("config.json")
    url = args.url or os.environ.get("ANNOTATOR_URL") or saved.get("url")
    token = os.environ.get("ANNOTATOR_TOKEN") or saved.get("token")
    if not url or not token:
        raise NotAuthenticated(
            401, "not signed in: run `annotator login` or set ANNOTATOR_URL and ANNOTATOR_TOKEN"
        )
    return Client(url, token, progress=not args.quiet)


def cmd_login(args: argparse.Namespace) -> Any:
    url = args.url or os.environ.get("ANNOTATOR_URL") or input("Server URL: ")
    if args.token or os.environ.get("ANNOTATOR_TOKEN"):
        token = args.token or os.environ["ANNOTATOR_TOKEN"]
        client = Client(url, token)
    else:
        username = args.username or input("Username: ")
        password = os.environ.get("ANNOTATOR_PASSWORD") or getpass.getpass("Password: ")
        client = Client.login(url, username, password)
    with client:
        me = client.me()  # the token works before it is stored
        path = _write_private("config.json", {"url": url, "token": client.token})
    return {"url": url, "username": me.get("username"), "config": str(path)}


def cmd_projects(args: argparse.Namespace) -> Any:
    with make_client(args) as client:
        return list(client.projects())


def cmd_import(args: argparse.Namespace) -> Any:
    options = {"on_error": args.on_error, "layer": args.layer}
    if args.create_labels:
        options["create_labels"] = True
    with make_client(args) as client:
        return client.import_file(
            args.project, args.file, format=args.format, wait=not args.no_wait, **options
        )


def cmd_export(args: argparse.Namespace) -> Any:
    key = f"{args.url or os.environ.get('ANNOTATOR_URL') or _read('config.json').get('url')}#{args.project}"
    cursors = _read("cursors.json")
    since = cursors.get(key) if args.since_last else None
    with make_client(args) as client:
        cursor = client.export_to_file(
            args.project, args.output, format=args.format, layers=args.layers, since=since
        )
    if cursor and args.format == "native":
        cursors[key] = cursor
        _write_private("cursors.json", cursors)
    return {"project": args.project, "file": args.output, "since": since, "cursor": cursor}


def cmd_sync(args: argparse.Namespace) -> Any:
    with make_client(args) as client:
        return client.sync(args.project, args.path, layers=args.layers)


def cmd_jobs_wait(args: argparse.Namespace) -> Any:
    with make_client(args) as client:
        return client.wait(args.job, timeout=args.timeout)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="annotator", description=__doc__)
    top.add_argument("--url", help="server URL (default: ANNOTATOR_URL, then the saved login)")
    top.add_argument("--json", action="store_true", help="print the result as JSON")
    top.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    sub = top.add_subparsers(dest="command", required=True)
    login = sub.add_parser("login", help="check and save a server URL and token (mode 0600)")
    login.add_argument("--username")
    login.add_argument("--token", help="an existing token (else a password is asked for)")
    login.set_defaults(run=cmd_login)
    sub.add_parser("projects", help="list your projects").set_defaults(run=cmd_projects)
    imp = sub.add_parser("import", help="upload a file and wait for its import job")
    imp.add_argument("project", type=int)
    imp.add_argument("file", type=Path)
    imp.add_argument("--format", default="native")
    imp.add_argument("--on-error", choices=["abort", "skip"])
    imp.add_argument("--layer")
    imp.add_argument("--create-labels", action="store_true")
    imp.add_argument("--no-wait", action="store_true")
    imp.set_defaults(run=cmd_import)
    exp = sub.add_parser("export", help="stream an export into a file")
    exp.add_argument("project", type=int)
    exp.add_argument("-o", "--output", required=True, type=Path)
    exp.add_argument("--format", default="native")
    exp.add_argument("--layers", default="all")
    exp.add_argument("--since-last", action="store_true", help="only what changed since the last export")
    exp.set_defaults(run=cmd_export)
    syn = sub.add_parser("sync", help="bring a local mirror (folder, or .sqlite file) up to date")
    syn.add_argument("project", type=int)
    syn.add_argument("path", type=Path)
    syn.add_argument("--layers", default="all")
    syn.set_defaults(run=cmd_sync)
    jobs = sub.add_parser("jobs", help="jobs").add_subparsers(dest="jobs_command", required=True)
    wait = jobs.add_parser("wait", help="wait for a job (progress bar); exit 1 unless it succeeded")
    wait.add_argument("job", type=int)
    wait.add_argument("--timeout", type=float)
    wait.set_defaults(run=cmd_jobs_wait)
    return top


def _show(result: Any, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, ensure_ascii=False, default=str))
    elif isinstance(result, list):
        for item in result:
            print("\t".join(str(item.get(k, "")) for k in ("id", "name", "role")))
    elif isinstance(result, dict):
        for key, value in result.items():
            print(
                f"{key}: {json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value}"
            )


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        result = args.run(args)
    except JobFailed as exc:
        _fail(args, exc, {"job": exc.job})
        return EXIT_ERROR
    except AnnotatorError as exc:
        _fail(args, exc, {})
        if isinstance(exc, NotAuthenticated):
            return EXIT_AUTH
        if isinstance(exc, NotFound):
            return EXIT_NOT_FOUND
        if isinstance(exc, ServerUnavailable) and exc.status == 0:
            return EXIT_UNREACHABLE
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    _show(result, args.json)
    return EXIT_OK


def _fail(args: argparse.Namespace, exc: AnnotatorError, extra: dict[str, Any]) -> None:
    body = {"error": exc.detail, "status": exc.status, "code": exc.code, "errors": exc.errors, **extra}
    if args.json:
        print(json.dumps(body, default=str))
    print(f"annotator: {exc}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
