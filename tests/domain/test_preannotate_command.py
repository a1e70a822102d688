"""``manage.py preannotate PROJECT``: the API's job, run in the command's own process."""

import json

import pytest
from django.core.management import CommandError, call_command

from annotator.annotations.models import Layer, Span
from annotator.jobs.models import Job, JobStatus
from annotator.preannotation.recognisers import recogniser_get
from tests.conftest import World, add_article

VERSIONS = {name: recogniser_get(name).version for name in ("figures", "quotes")}  # type: ignore[union-attr]

# The job runs in a thread of this process, on its own connection: it must see committed rows.
pytestmark = pytest.mark.usefixtures("transactional_db")


def test_the_command_runs_the_job_here_and_prints_its_result(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    add_article(world.users["admin"], world.project, 'Rents rose 4.75%, "a disgrace", the mayor said.', "c1")
    call_command(
        "preannotate", str(world.project.pk), "--recognisers", "figures,quotes", "--min-score", "0.5"
    )
    out, err = capsys.readouterr()
    result = json.loads(out)
    job = Job.objects.get()
    assert (
        job.kind == "preannotate"
        and job.status == JobStatus.SUCCEEDED
        and job.created_by == world.users["admin"]
    )
    assert result == job.result and result["recognisers"] == VERSIONS
    assert result["created"] == Span.objects.filter(layer=Layer.SUGGESTION).count() > 0
    assert f"Job {job.pk}:" in err


def test_the_command_refuses_what_the_api_refuses(world: World) -> None:
    with pytest.raises(CommandError, match="Unknown recogniser"):
        call_command("preannotate", str(world.project.pk), "--recognisers", "nope")
    with pytest.raises(CommandError, match="not in this project"):
        call_command("preannotate", str(world.project.pk), "--articles", str(world.other_article.pk))
    with pytest.raises(CommandError, match="--articles takes"):
        call_command("preannotate", str(world.project.pk), "--articles", "some")
    with pytest.raises(CommandError, match="No project"):
        call_command("preannotate", "no such project")
    assert not Job.objects.exists()
