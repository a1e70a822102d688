from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Uploads and export files of in-process tests go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
