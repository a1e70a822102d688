"""The reference deployment (deploy/) started as its Compose file says, as far as this machine
allows. It has no container engine (and no registry for the images), so the test lays out the
image from deploy/Dockerfile's app stage (its COPY lines, ENV, WORKDIR, the collectstatic RUN;
the ``useradd``, ``chown`` and ``pip install`` steps are left to Docker: the project's virtualenv
holds the same requirements.txt) and starts every app service of deploy/compose.yaml (migrate,
web-1, web-2, worker, beat) as a process in it, with the service's own command, environment and
healthcheck. Only what names another container is pointed at this machine: ``postgres`` at this
PostgreSQL (a database of its own), ``redis`` at this Redis (two spare database numbers),
``minio`` at moto's S3 server, and each web host gets a port of its own (``GUNICORN_BIND``)
since the two share one network. nginx (the proxy) is not started.

Then, from outside, with the Python client: both web hosts ready and serving the bundle; an
import through one host run by the worker; a span written through one host pushed to a
WebSocket on the other (Channels on Redis across hosts); an export file kept in S3 and served by
either host; the worker's healthcheck; a graceful stop."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import httpx
import psycopg
import pytest
import redis
from annotator_client import Client
from django.conf import settings
from websockets.sync.client import connect

from tests.ops.deploy_shape import ROOT, Image, Service, compose_services, dockerfile_stages, lay_out_image

DATABASE = settings.DATABASES["default"]
ON_SERVICES = DATABASE["ENGINE"].endswith("postgresql") and settings.CELERY_BROKER_URL.startswith("redis://")
pytestmark = pytest.mark.skipif(not ON_SERVICES, reason="the deployment's shape needs PostgreSQL and Redis")

APP_SERVICES = ("web-1", "web-2", "worker", "beat")
REDIS_DBS = {0: 6, 1: 7}  # compose's redis://redis:6379/0 (broker) and /1 (channel layer)
VARIABLES = {
    "SECRET_KEY": "deploy-shape-" + uuid.uuid4().hex,
    "POSTGRES_PASSWORD": "pg-secret",
    "MINIO_ROOT_PASSWORD": "minio-secret",
}
ADMIN = ("admin", "a-long-admin-password")
VENV_BIN = Path(sys.executable).parent


@dataclass
class Stack:
    image: Image
    services: dict[str, Service]
    envs: dict[str, dict[str, str]]
    processes: dict[str, subprocess.Popen[bytes]]
    logs: Path
    web: dict[str, str]  # web service -> its base URL

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def client(self, web: str) -> Client:
        return Client.login(self.web[web], *ADMIN)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def on_this_machine(env: dict[str, str], database: str, s3_endpoint: str) -> dict[str, str]:
    """The service's environment with other containers' names pointed at this machine."""
    out = {}
    for key, value in env.items():
        url = urlsplit(value)
        if url.scheme == "postgres" and url.hostname == "postgres":
            value = (
                f"postgres://{url.username}:{url.password}@{DATABASE['HOST']}:{DATABASE['PORT']}/{database}"
            )
        elif url.scheme == "redis" and url.hostname == "redis":
            value = f"redis://127.0.0.1:6379/{REDIS_DBS[int(url.path.strip('/'))]}"
        out[key] = value.replace("http://minio:9000", s3_endpoint)
    return out


def run(command: list[str] | str, env: dict[str, str], cwd: Path, timeout: float = 240) -> str:
    shell = isinstance(command, str)
    done = subprocess.run(command, shell=shell, cwd=cwd, env=env, capture_output=True, timeout=timeout)
    output = (done.stdout + done.stderr).decode(errors="replace")
    assert done.returncode == 0, f"{command} exited {done.returncode}:\n{output[-4000:]}"
    return output


def healthcheck(check: list[str], env: dict[str, str], cwd: Path) -> bool:
    """Compose's healthcheck ``test``: ["CMD", argv...] or ["CMD-SHELL", command]."""
    kind, *rest = check
    command: list[str] | str = rest[0] if kind == "CMD-SHELL" else rest
    try:
        done = subprocess.run(
            command, shell=kind == "CMD-SHELL", cwd=cwd, env=env, capture_output=True, timeout=20
        )
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


@contextlib.contextmanager
def database_of_its_own() -> Iterator[str]:
    name = f"annotator_deploy_{uuid.uuid4().hex[:8]}"
    server = {
        "host": DATABASE["HOST"],
        "port": DATABASE["PORT"],
        "user": DATABASE["USER"],
        "dbname": "postgres",
    }
    with psycopg.connect(**server, autocommit=True) as conn:
        # The postgres image makes POSTGRES_USER the cluster's superuser.
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'annotator'").fetchone():
            conn.execute("CREATE ROLE annotator LOGIN SUPERUSER")
        conn.execute(f'CREATE DATABASE "{name}" OWNER annotator')
    try:
        yield name
    finally:
        with psycopg.connect(**server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def flush_redis() -> None:
    for number in REDIS_DBS.values():
        redis.Redis(host="127.0.0.1", port=6379, db=number).flushdb()


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def stack(s3_endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not (ROOT / "frontend" / "dist" / "index.html").exists():
        pytest.fail("the image copies frontend/dist: build it first (make frontend)")
    tmp = tmp_path_factory.mktemp("deploy")
    logs = tmp / "logs"
    logs.mkdir()
    base_env = {
        "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp),
        "LANG": "C.UTF-8",
        "HOSTNAME": socket.gethostname(),
    }
    stages = dockerfile_stages()
    # The frontend stage built the bundle in /src/frontend/dist: here, the repository's build.
    frontend_stage = tmp / "frontend-stage"
    (frontend_stage / "src").mkdir(parents=True)
    (frontend_stage / "src" / "frontend").symlink_to(ROOT / "frontend")
    image = lay_out_image(
        stages["app"],
        tmp / "app",
        from_stage={"frontend": frontend_stage},
        run=lambda step, env: run(step, {**base_env, **env}, tmp / "app"),
        skip_run=("useradd", "pip install", "chown"),
    )
    services = compose_services(VARIABLES)
    boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="annotator",
        aws_secret_access_key=VARIABLES["MINIO_ROOT_PASSWORD"],
    ).create_bucket(Bucket="annotator")
    flush_redis()
    processes: dict[str, subprocess.Popen[bytes]] = {}
    with database_of_its_own() as database:
        envs = {
            name: {**base_env, **image.env, **on_this_machine(services[name].env, database, s3_endpoint)}
            for name in ("migrate", *APP_SERVICES)
        }
        web = {}
        for name in ("web-1", "web-2"):
            port = free_port()
            envs[name]["GUNICORN_BIND"] = f"127.0.0.1:{port}"
            web[name] = f"http://127.0.0.1:{port}"
        stack = Stack(image, services, envs, processes, logs, web)
        try:
            run(services["migrate"].command, envs["migrate"], image.root)
            # deploy/README.md: `docker compose run --rm migrate python manage.py createsuperuser`
            run(
                [
                    "python",
                    "manage.py",
                    "createsuperuser",
                    "--noinput",
                    "--username",
                    ADMIN[0],
                    "--email",
                    "a@example.org",
                ],
                {**envs["migrate"], "DJANGO_SUPERUSER_PASSWORD": ADMIN[1]},
                image.root,
            )
            for name in APP_SERVICES:
                with (logs / f"{name}.log").open("wb") as log:
                    processes[name] = subprocess.Popen(
                        services[name].command,
                        cwd=image.root,
                        env=envs[name],
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
            for name in ("web-1", "web-2"):
                check = [
                    word.replace("127.0.0.1:8000", envs[name]["GUNICORN_BIND"])
                    for word in services[name].healthcheck or []
                ]
                deadline = time.monotonic() + 90
                while not healthcheck(check, envs[name], image.root):
                    assert processes[name].poll() is None, f"{name} exited:\n{stack.log(name)}"
                    assert time.monotonic() < deadline, f"{name} not healthy in 90 s:\n{stack.log(name)}"
                    time.sleep(0.5)
            yield stack
        finally:
            for process in processes.values():
                stop(process)
            flush_redis()


def test_both_web_hosts_are_ready_and_serve_the_bundle(stack: Stack) -> None:
    for base in stack.web.values():
        ready = httpx.get(f"{base}/readyz")
        assert ready.status_code == 200, ready.text
        assert httpx.get(f"{base}/healthz").status_code == 200
        page = httpx.get(f"{base}/")
        assert page.status_code == 200 and "<div id=" in page.text
        script = re.search(r'src="(/static/[^"]+\.js)"', page.text)
        assert script, page.text[:500]
        asset = httpx.get(base + script.group(1))
        assert asset.status_code == 200 and "javascript" in asset.headers["content-type"]


def test_an_import_through_one_host_is_run_by_the_worker_and_read_on_the_other(
    stack: Stack, tmp_path: Path
) -> None:
    with stack.client("web-1") as one, stack.client("web-2") as two:
        project = one.create_project("deploy shape")
        batch = tmp_path / "batch.jsonl"
        lines = [
            {"id": f"a{i}", "title": f"Article {i}", "text": f"Minister says {i} things happened."}
            for i in range(3)
        ]
        batch.write_text("".join(json.dumps(line) + "\n" for line in lines))
        job = one.import_file(project["id"], batch)
        assert job["status"] == "succeeded"
        assert sorted(a["external_id"] for a in two.articles(project["id"])) == ["a0", "a1", "a2"]


def span_pushed(
    writer: Client, base: str, text: str, label: str = "CLAIM"
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A new project and article written through ``writer``; a span added to it while a
    WebSocket is open on ``base`` (a web host or the proxy): the span and the event it pushed."""
    project = writer.create_project(f"deploy live {uuid.uuid4().hex[:6]}", preset="argument")
    writer.add_articles(project["id"], [{"external_id": "live", "text": text}])
    article = next(iter(writer.articles(project["id"])))
    url = base.replace("http://", "ws://") + f"/ws/projects/{project['id']}/"
    with connect(url, additional_headers={"Authorization": f"Bearer {writer.token}"}, open_timeout=10) as ws:
        assert json.loads(ws.recv(timeout=10))["type"] == "hello"
        span = dict(writer.add_span(article["id"], 4, 12, label))
        deadline = time.monotonic() + 10
        while True:
            event = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if event["type"] == "span.created" and event["id"] == span["id"]:
                return span, event


def test_a_span_written_on_one_host_reaches_a_websocket_on_the_other(stack: Stack) -> None:
    with stack.client("web-1") as one:
        span, event = span_pushed(one, stack.web["web-2"], "The minister claimed it.")
    assert event["text"] == "minister" and event["version"] == span["version"]


def test_an_export_file_is_kept_in_s3_and_served_by_either_host(
    stack: Stack, s3_endpoint: str, tmp_path: Path
) -> None:
    bucket = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="y",
    )
    with stack.client("web-1") as one, stack.client("web-2") as two:
        project = one.create_project("deploy export", preset="argument")
        one.add_articles(project["id"], [{"external_id": "e1", "text": "A figure of 40 tonnes."}])
        article = next(iter(one.articles(project["id"])))
        one.add_span(article["id"], 13, 22, "FIGURE")
        before = {o["Key"] for o in bucket.list_objects_v2(Bucket="annotator").get("Contents", [])}
        job = two.export_job(project["id"], format="native")
        after = {o["Key"] for o in bucket.list_objects_v2(Bucket="annotator").get("Contents", [])}
        assert after - before, "the export file was not written to S3"
        target = tmp_path / "export.jsonl"
        one.download_export(project["id"], job["id"], target)
    (record,) = [json.loads(line) for line in target.read_text().splitlines()]
    spans = [s for layer in record["annotations"] for s in layer["spans"]]
    assert [(s["start"], s["end"], s["label"]) for s in spans] == [(13, 22, "FIGURE")]


def test_the_worker_answers_its_healthcheck_and_beat_runs(stack: Stack) -> None:
    worker = stack.services["worker"]
    assert worker.healthcheck is not None
    assert healthcheck(worker.healthcheck, stack.envs["worker"], stack.image.root), stack.log("worker")
    assert stack.processes["beat"].poll() is None, stack.log("beat")
    assert "beat: Starting" in stack.log("beat")


NGINX = shutil.which("nginx", path="/usr/sbin:/usr/bin:/sbin:/bin")


@pytest.fixture(scope="module")
def proxy(stack: Stack) -> Iterator[str]:
    """deploy/nginx.conf in front of the two web hosts (the ``proxy`` service), its upstream
    names and listening port pointed at this machine; nginx from Debian's package."""
    if NGINX is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: .ci/run installs Debian's nginx")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    port = free_port()
    conf = (ROOT / "deploy" / "nginx.conf").read_text().replace("listen 80;", f"listen 127.0.0.1:{port};")
    for name in ("web-1", "web-2"):
        conf = conf.replace(f"server {name}:8000", "server " + stack.envs[name]["GUNICORN_BIND"])
    home = stack.logs.parent / "nginx"
    home.mkdir()
    (home / "default.conf").write_text(conf)
    temp = " ".join(
        f"{kind}_temp_path {home / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;" if os.geteuid() == 0 else ""  # its workers write the temp paths above
    (home / "nginx.conf").write_text(
        f"{user} daemon off; pid {home / 'nginx.pid'}; error_log {stack.logs / 'proxy.log'} warn;\n"
        f"events {{}}\nhttp {{ access_log off; {temp} include {home / 'default.conf'}; }}\n"
    )
    with (stack.logs / "proxy.log").open("ab") as log:
        process = subprocess.Popen(
            [NGINX, "-e", str(stack.logs / "proxy.log"), "-p", str(home), "-c", str(home / "nginx.conf")],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, f"nginx exited:\n{stack.log('proxy')}"
            with contextlib.suppress(httpx.TransportError):
                httpx.get(f"{base}/healthz")
                break
            assert time.monotonic() < deadline, stack.log("proxy")
            time.sleep(0.2)
        yield base
    finally:
        stop(process)


def test_the_proxy_passes_pages_the_api_and_websockets_to_the_web_hosts(stack: Stack, proxy: str) -> None:
    for path in ("/healthz", "/readyz", "/"):
        answer = httpx.get(proxy + path)
        assert answer.status_code == 200, f"{path}: {answer.status_code} {answer.text[:300]}"
    with Client.login(proxy, *ADMIN) as client:
        span, event = span_pushed(client, proxy, "The minister spoke through the proxy.")
    assert event["text"] == "minister" and event["version"] == span["version"]


def test_web_and_worker_stop_gracefully_on_sigterm(stack: Stack) -> None:
    for name, grace in (("web-1", 40), ("worker", 60)):
        process = stack.processes[name]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=grace) == 0, stack.log(name)
    assert httpx.get(f"{stack.web['web-2']}/readyz").status_code == 200
