"""Native round trip of cross-article relations: exported with the other end named by article,
imported back into another project, whichever of the two articles comes first in the file."""

import io
import json

import pytest

from annotator.annotations.models import Relation
from annotator.exchange.importing import ImportOptions, import_file
from annotator.projects.services import member_add, project_create
from tests.exchange.test_export import pull

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "snapshot"])


def relations_of(project):
    return sorted(
        (r.article.external_id, r.source.text, r.target.article.external_id, r.target.text, r.label.name)
        for r in Relation.objects.filter(article__project=project).select_related(
            "article", "source", "target__article", "label"
        )
    )


def import_into(world, lines):
    project = project_create(creator=world.admin, name="Copy", preset="argument")
    member_add(actor=world.admin, project_id=project.pk, username="annotator", role="annotator")
    data = "".join(json.dumps(line) + "\n" for line in lines).encode()
    report = import_file(
        actor=world.admin,
        project_id=project.pk,
        open_file=lambda: io.BytesIO(data),
        filename="copy.jsonl",
        options=ImportOptions(),
    )
    return project, report


@pytest.mark.parametrize("reverse", [False, True])
def test_round_trip(pair, reverse):
    claim = pair.span("annotator", pair.first, "inflation would fall", "CLAIM")
    other = pair.span("annotator", pair.second, "inflation would not fall", "CLAIM")
    rebuttal = pair.span("annotator", pair.second, "The union leader said", "REBUTTAL")
    figure = pair.span("annotator", pair.second, "55 NHS trusts", "FIGURE")
    assert pair.relate("annotator", pair.second, rebuttal["id"], claim["id"], "REBUTS").status_code == 201
    assert pair.relate("annotator", pair.first, claim["id"], other["id"], "SAME_CLAIM").status_code == 201
    assert pair.relate("annotator", pair.second, figure["id"], other["id"], "SUPPORTS").status_code == 201
    records, _ = pull(pair.world.client("researcher"), pair.world.project.pk)
    lines = [r for r in records if r["id"] in ("first", "second")]
    assert [r["id"] for r in lines] == ["first", "second"]
    if reverse:  # "second" points into "first", which now comes later in the file
        lines.reverse()
    copy, report = import_into(pair.world, lines)
    assert report.written and report.errors == [], report.errors
    assert report.relations_created == 3
    assert relations_of(copy) == relations_of(pair.world.project)
    # Imported again: nothing new (the symmetric SAME_CLAIM included).
    data = "".join(json.dumps(line) + "\n" for line in lines).encode()
    again = import_file(
        actor=pair.world.admin,
        project_id=copy.pk,
        open_file=lambda: io.BytesIO(data),
        filename="copy.jsonl",
        options=ImportOptions(),
    )
    assert again.relations_created == 0 and again.errors == []


def test_an_unresolved_other_end_is_a_line_error(pair):
    line = {
        "id": "alone",
        "text": pair.second.text,
        "annotations": [
            {
                "layer": "gold",
                "spans": [{"id": 1, "start": 0, "end": 16, "label": "REBUTTAL"}],
                "relations": [{"from": 1, "to": {"article": "missing", "span": 9}, "label": "REBUTS"}],
            }
        ],
    }
    _, report = import_into(pair.world, [line])
    assert not report.written
    assert [(e["line"], e["field"]) for e in report.errors] == [(1, "annotations[0].relations[0].to")]
    assert "missing" in report.errors[0]["message"]
    line["annotations"][0]["relations"][0]["label"] = "NOT_CROSSING"
    _, report = import_into(pair.world, [line])
    assert report.errors and not report.written
