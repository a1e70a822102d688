from pathlib import Path
from typing import Any

import pytest

from annotator.articles import changes


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Uploads and export files of in-process tests go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def stamps(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The change stamps taken from now on (projects' ids): an import that records no change
    takes none, whichever clock the database stamps with."""
    taken: list[int] = []
    real = changes.change_stamp

    def spy(project_id: int) -> int:
        taken.append(project_id)
        return real(project_id)

    monkeypatch.setattr(changes, "change_stamp", spy)
    return taken
