"""bench/exchange.py's in-process measurements: the export's SQL query count, and cProfile
reports of the export and the import as the web and Celery workers run them."""

from __future__ import annotations

import cProfile
import gc
import io
import pstats
import time
from pathlib import Path
from typing import Any

from bench.exchange_fixture import Fixture
from bench.exchange_processes import VAR_DIR
from bench.support.paths import ROOT


def _write_profile(profiler: cProfile.Profile, name: str, title: str) -> tuple[Path, list[str]]:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime")
    stats.print_stats(35)
    by_own = out.getvalue()
    out = io.StringIO()
    stats.stream = out  # type: ignore[attr-defined]
    stats.sort_stats("cumulative").print_stats(45)
    path = VAR_DIR / name
    path.write_text(f"{title}\n\n--- by own time ---\n{by_own}\n--- by cumulative time ---\n{out.getvalue()}")
    top = []
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values())
    for (filename, line, func), entry in sorted(raw.items(), key=lambda kv: -kv[1][2])[:10]:
        top.append(
            f"    {entry[2]:7.2f} s {entry[2] / total:5.1%}  {entry[1]:>9,} calls  {func} ({filename}:{line})"
        )
    return path, top


def export_queries(fx: Fixture) -> int:
    """SQL statements of one in-process export of the small project (both connections)."""
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from annotator.exchange.exporting import SNAPSHOT_DB, ExportFilters, ExportStream, export_plan

    researcher = get_user_model().objects.get(username="bench-researcher")
    with (
        CaptureQueriesContext(connections["default"]) as plain,
        CaptureQueriesContext(connections[SNAPSHOT_DB]) as snap,
    ):
        plan = export_plan(actor=researcher, project_id=fx.small_project, filters=ExportFilters())
        for _ in ExportStream(plan):
            pass
    return len(plain) + len(snap)


def profile_export(fx: Fixture, vendor: str) -> list[str]:
    """cProfile ExportStream over the big project, in-process (as the web worker runs it)."""
    from django.contrib.auth import get_user_model

    from annotator.exchange.exporting import ExportFilters, ExportStream, export_plan, snapshot

    researcher = get_user_model().objects.get(username="bench-researcher")
    plan = export_plan(actor=researcher, project_id=fx.big_project, filters=ExportFilters())
    # Without the profiler first: the database reads and records alone, then with the JSON.
    started = time.perf_counter()
    with snapshot(plan) as reader:
        objects = sum(1 for _ in reader.objects())
    objects_s = time.perf_counter() - started
    started = time.perf_counter()
    stream = ExportStream(plan)
    size = sum(len(piece) for piece in stream)
    stream_s = time.perf_counter() - started
    notes = [
        f"export in-process without cProfile: Reader.objects() {objects / objects_s:,.0f} articles/s; "
        f"ExportStream (objects + native JSON) {fx.big_articles / stream_s:,.0f} articles/s "
        f"({size / 1e6 / stream_s:.0f} MB/s)"
    ]
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    stream = ExportStream(plan)
    size = sum(len(piece) for piece in stream)
    profiler.disable()
    seconds = time.perf_counter() - started
    title = (
        f"export: ExportStream over {fx.big_articles:,} articles ({vendor}), {seconds:.1f} s under cProfile, "
        f"{size / 1e6:.0f} MB"
    )
    path, top = _write_profile(profiler, f"profile-{vendor}-export.txt", title)
    return [*notes, f"{title} -> {path.relative_to(ROOT)}; top own time:", *top]


def profile_import(fx: Fixture, vendor: str, path: Path) -> list[str]:
    """import_file of the same JSONL into fresh projects, in-process (as the worker runs it):
    once timed, once under cProfile."""
    from django.contrib.auth import get_user_model

    from annotator.exchange.importing import ImportOptions, Report, import_file
    from annotator.projects.models import Role
    from annotator.projects.services import member_add, project_create

    admin = get_user_model().objects.get(username="bench-admin")

    def run(name: str) -> Report:
        project = project_create(creator=admin, name=name, preset="argument")
        member_add(actor=admin, project_id=project.pk, username=fx.annotator, role=Role.ANNOTATOR)
        return import_file(
            actor=admin,
            project_id=project.pk,
            open_file=lambda: path.open("rb"),
            filename=path.name,
            options=ImportOptions(),
        )

    gc.collect()
    gc.freeze()  # as the worker does at start (annotator/celery.py)
    started = time.perf_counter()
    report = run("Exchange import (timed)")
    seconds = time.perf_counter() - started
    notes = [
        f"import in-process without cProfile: {report.articles_created / seconds:,.0f} articles/s ({seconds:.1f} s)"
    ]
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    report = run("Exchange import (profiled)")
    profiler.disable()
    seconds = time.perf_counter() - started
    title = (
        f"import: import_file of {report.articles_created:,} articles, {report.spans_created:,} spans "
        f"({vendor}), {seconds:.1f} s under cProfile"
    )
    out, top = _write_profile(profiler, f"profile-{vendor}-import.txt", title)
    return [*notes, f"{title} -> {out.relative_to(ROOT)}; top own time:", *top]
