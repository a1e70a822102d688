"""Errors that come from the database rather than from the request."""

from django.db import OperationalError

from api.views import projects


def test_a_busy_database_is_a_503_with_retry_after_not_a_500(world, api, monkeypatch, caplog) -> None:
    # What SQLite raises once a writer waited out its busy timeout (a long import holds the
    # one write lock); a lost PostgreSQL connection raises the same class.
    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(projects, "project_list", locked)
    r = api("annotator").get("/api/v1/projects/")
    assert r.status_code == 503 and r["Retry-After"] == "5"
    assert r.json() == {
        "detail": "The database is busy or unreachable right now; try again in a moment.",
        "code": "database_unavailable",
        "errors": {},
    }
    assert "database unavailable for /api/v1/projects/: database is locked" in caplog.text
