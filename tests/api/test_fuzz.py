"""Every operation of the OpenAPI schema, fuzzed by Schemathesis against the live test server as
a project admin: no input may be a server error (5xx), and every answer must fit the schema
(status documented, body valid). Bounded so that CI stays within its budget (about a minute a
database): few examples an operation, no shrinking, a timeout on every request."""

import dataclasses
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from annotator.accounts.services import token_create
from annotator.annotations.services import document_label_create, relation_create, span_create
from annotator.exchange.exporting import export_filters
from annotator.exchange.services import export_start
from annotator.projects.services import label_create
from tests.conftest import build_world
from tests.factories import suggestion_create

MAX_EXAMPLES = 10  # an operation and mode (valid, invalid data); about 80 operations
REQUEST_TIMEOUT = 10  # seconds; a hung request is a failure, not a stuck build


@dataclasses.dataclass
class Seeded:
    """A project with one of everything the paths name, and its admin."""

    admin: Any
    ids: dict[str, int]

    def token(self) -> str:
        # A fresh token for every request: a fuzzed DELETE /tokens/{id}/ may revoke the last one.
        return token_create(user=self.admin, name="fuzz")[1]


# The streamed export reads through the "snapshot" connection.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "snapshot"])


@pytest.fixture
def seeded() -> Seeded:
    world = build_world()
    admin, article = world.admin, world.article
    claim = span_create(actor=admin, article_id=article.pk, start=4, end=12, label="CLAIM")
    rebuttal = span_create(actor=admin, article_id=article.pk, start=60, end=70, label="REBUTTAL")
    relation = relation_create(
        actor=admin, article_id=article.pk, source_id=rebuttal.pk, target_id=claim.pk, label="REBUTS"
    )
    topic = label_create(actor=admin, project_id=world.project.pk, kind="document", name="TOPIC")
    doc_label = document_label_create(actor=admin, article_id=article.pk, label=topic.pk)
    figure = world.project.labels.get(name="FIGURE")
    suggestion = suggestion_create(
        article=article, label=figure, start=30, end=35, recogniser="figures", recogniser_version="1"
    )
    job = export_start(actor=admin, project_id=world.project.pk, filters=export_filters({}))
    membership = world.project.memberships.get(user=world.annotator)
    token, _ = token_create(user=admin, name="kept")
    return Seeded(
        admin=admin,
        ids={
            "project_id": world.project.pk,
            "article_id": article.pk,
            "label_id": topic.pk,
            "spans": claim.pk,
            "relations": relation.pk,
            "document-labels": doc_label.pk,
            "suggestion_id": suggestion.pk,
            "job_id": job.pk,
            "membership_id": membership.pk,
            "token_id": token.pk,
        },
    )


@pytest.fixture
def api_schema(live_server: Any, seeded: Seeded) -> Any:
    return schemathesis.openapi.from_url(
        f"{live_server.url}/api/schema/?format=json", timeout=REQUEST_TIMEOUT
    )


def aim_at_seeded_objects(case: Any, seeded: Seeded) -> None:
    """Half the generated path ids name the seeded objects instead (the other half, random ids,
    exercise the 404s), so that the fuzzed bodies and queries reach the services. Not for
    DELETE: the other operations keep something to work on."""
    if case.method.upper() == "DELETE":
        return
    for name, value in list((case.path_parameters or {}).items()):
        if not isinstance(value, int) or value % 2:
            continue
        key = name if name != "object_id" else case.path.split("/")[3]  # /api/v1/<kind>/{object_id}/
        if key in seeded.ids:
            case.path_parameters[name] = seeded.ids[key]


def fuzz(operation: Any, mode: GenerationMode, seeded: Seeded) -> None:
    """Up to MAX_EXAMPLES requests of ``mode`` to one operation; the first failure raises."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
        derandomize=True,  # the same examples on every run and both databases
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case: Any) -> None:
        aim_at_seeded_objects(case, seeded)
        case.call_and_validate(
            headers={"Authorization": f"Bearer {seeded.token()}"},
            checks=[not_a_server_error, response_schema_conformance],
            timeout=REQUEST_TIMEOUT,
        )

    run()


def test_no_request_is_a_server_error_or_breaks_the_schema(api_schema: Any, seeded: Seeded) -> None:
    # One loop rather than schemathesis.pytest's per-operation items: one seeded world and one
    # live server for the lot, and every failing operation reported, not just the first.
    failures = []
    operations = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                fuzz(operation, mode, seeded)
            except Unsatisfiable:
                pass  # nothing to make invalid (negative mode, an operation without parameters)
            except (Exception, BaseExceptionGroup) as exc:  # schemathesis raises a FailureGroup
                failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {exc}")
    assert operations > 50, f"only {operations} operations in the schema"
    assert not failures, f"{len(failures)} failing operations:\n\n" + "\n\n".join(failures)
