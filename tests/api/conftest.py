"""Fixtures shared by the API tests: the permissions scene, built once per module."""

from collections.abc import Iterator

import pytest

from tests.api.helpers_permissions import Scene, scene_once


@pytest.fixture(scope="module")
def _scene(django_db_setup, django_db_blocker) -> Iterator[Scene]:
    with scene_once(django_db_blocker) as built:
        yield built


@pytest.fixture
def scene(_scene: Scene, db: None) -> Scene:
    """The module's scene; this test's changes are rolled back after it."""
    return _scene
