"""The interop checks run only under ``make interop`` (INTEROP=1), which installs the peers
first; the normal test run leaves this folder out."""

import os
from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.conftest import client_for, make_user
from tests.exchange.roundtrip_helpers import ANNOTATOR, Api, jsonl, source_records

collect_ignore_glob = [] if os.environ.get("INTEROP") == "1" else ["test_*.py"]


@pytest.fixture(autouse=True)
def _no_heartbeat_during_inline_jobs(settings: Any) -> None:
    settings.JOB_HEARTBEAT_SECONDS = 60


@pytest.fixture
def api(transactional_db: None) -> Api:
    make_user(ANNOTATOR)
    boss: User = make_user("boss")
    return Api(client_for(boss))


@pytest.fixture
def source(api: Api) -> int:
    pid = api.new_project("Source")
    api.import_file(pid, jsonl(source_records()), "source.jsonl", "native")
    return pid
