"""Permission rows of the project's speakers: every member reads the list; reviewers and admins
edit it; the spellings in use (counted over every layer) only the roles that read every layer."""

from annotator.annotations.models import Speaker, SpeakerSpelling
from tests.api.helpers_permissions import Scene
from tests.api.matrix import V1, Row, expect, project


def a_speaker(s: Scene) -> str:
    """A speaker of project A (made afresh for each row; rolled back with the test)."""
    speaker = Speaker.objects.create(project=s.project, name="Steve Barclay")
    SpeakerSpelling.objects.create(project=s.project, speaker=speaker, spelling="Steve Barclay")
    return f"{V1}/speakers/{speaker.pk}/"


def new_speaker(s: Scene) -> dict[str, object]:
    return {"name": "Rachel Reeves", "spellings": ["the Chancellor"]}


#       admin reviewer annotator researcher outsider anonymous
ROWS = [
    Row("speakers", "get", lambda s: f"{project(s)}speakers/", expect("200 200 200 200 404 401")),
    Row(
        "speaker-add",
        "post",
        lambda s: f"{project(s)}speakers/",
        expect("201 201 403 403 404 401"),
        body=new_speaker,
    ),
    Row(
        "speaker-spellings",
        "get",
        lambda s: f"{project(s)}speakers/spellings/",
        expect("200 200 403 200 404 401"),
    ),
    Row("speaker-rename", "patch", a_speaker, expect("200 200 403 403 404 401"), body=new_speaker),
    Row("speaker-delete", "delete", a_speaker, expect("204 204 403 403 404 401")),
]

COVERED = {"project-speaker-list", "project-speaker-spellings", "speaker-detail"}
