"""Cross-article relations of a native import, made once the whole file is written."""

from __future__ import annotations

from typing import Any

from annotator.annotations import rules
from annotator.annotations.models import Layer, Origin, Relation, SuggestionStatus
from annotator.exchange.formats.records import RecordError
from annotator.exchange.importing.checking import Prepared
from annotator.exchange.importing.options import Report
from annotator.exchange.importing.schema import LayerTarget, ProjectSchema
from annotator.projects.models import LabelKind

NO_ATTRIBUTES: dict[str, Any] = {}


class Crossing:
    """Cross-article relations of an import: each file span's id by (article, layer, file id),
    and the relations to make once the whole file is written (the other article may come
    later in it). Holds one small tuple per span of the file."""

    def __init__(self, project: ProjectSchema, report: Report) -> None:
        self.project = project
        self.report = report
        self.spans: dict[tuple[str, LayerTarget, str], tuple[int, int, str]] = {}  # -> span, article, label
        self.pending: list[tuple[Prepared, LayerTarget, int, str, str, str, str, str]] = []

    def add(self, prepared: Prepared, span_ids: dict[tuple[int, str], int]) -> None:
        """Note a written record's spans, and its cross-article relations to resolve."""
        article_id, external_id = prepared.article_id, prepared.article.external_id
        assert article_id is not None
        for layer in prepared.layers:
            keyed = {}
            for key, _rec, name in layer.spans:
                keyed[key] = name
                file_key = key.split(":", 1)[1]
                self.spans[(external_id, layer.target, file_key)] = (
                    span_ids[(article_id, key)],
                    article_id,
                    name,
                )
            for source, other, other_key, label, path in layer.crossing:
                self.pending.append(
                    (
                        prepared,
                        layer.target,
                        span_ids[(article_id, source)],
                        keyed[source],
                        other,
                        other_key,
                        label,
                        path,
                    )
                )

    def rows(self, now: Any, actor_id: int) -> tuple[list[tuple[Any, ...]], set[tuple[int, str]]]:
        """The relation rows to insert (reporting the ones that do not resolve) and the
        (article, part) changes they make."""
        report, labels = self.report, self.project.labels
        have = (
            set(
                Relation.objects.filter(source_id__in={p[2] for p in self.pending})
                .order_by()
                .values_list(*rules.RELATION_KEY_FIELDS)
            )
            if self.pending
            else set()
        )
        rows: list[tuple[Any, ...]] = []
        parts: set[tuple[int, str]] = set()
        for prepared, target, source_id, source_label, other, other_key, name, path in self.pending:
            found = self.spans.get((other, target, other_key))
            try:
                if found is None:
                    raise RecordError(
                        f"{path}.to",
                        f"no span with id {other_key!r} in this layer of article {other!r} in this file",
                    )
                self.project.check_relation(name, source_label, found[2], path)
            except RecordError as err:
                report.error(prepared.where, err)
                continue
            label = labels[(LabelKind.RELATION, name)]
            ident = rules.relation_key(source_id, found[0], label.pk)
            reverse = rules.relation_key(found[0], source_id, label.pk)
            if ident in have or (label.symmetric and reverse in have):
                report.annotations_unchanged += 1
                continue
            have.add(ident)
            status = SuggestionStatus.PENDING if target.layer == Layer.SUGGESTION else ""
            origin = Origin.SUGGESTED if target.layer == Layer.SUGGESTION else Origin.IMPORTED
            assert prepared.article_id is not None
            rows.append(
                (
                    prepared.article_id, label.pk, target.layer, target.annotator_id, actor_id, origin,
                    "", "", None, status, NO_ATTRIBUTES, 1, now, now, source_id, found[0],
                )
            )  # fmt: skip
            parts |= {(prepared.article_id, target.part), (found[1], target.part)}
        report.relations_created += len(rows)
        return rows, parts
