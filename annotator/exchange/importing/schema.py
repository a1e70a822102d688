"""The project an import writes into, as the import sees it: its labels, its annotating
members and its rules, loaded once, and the layer each file layer goes to."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.annotations import rules
from annotator.annotations.models import Layer
from annotator.articles.changes import layer_part
from annotator.common.errors import DomainError, InvalidInput
from annotator.common.text import check_storable
from annotator.exchange.formats.records import ANNOTATOR, GOLD, SUGGESTIONS, LayerRecord, RecordError
from annotator.exchange.importing.options import ImportOptions
from annotator.projects.access import WRITE_OWN_LAYER
from annotator.projects.labels import label_name_fits, label_name_normal
from annotator.projects.models import Label, LabelKind, Membership


@dataclass(frozen=True)
class LayerTarget:
    """The stored layer that a file layer's annotations go to."""

    layer: str  # a Layer value
    annotator_id: int | None = None

    @property
    def part(self) -> str:
        return layer_part(self.layer, self.annotator_id)


class ProjectSchema:
    """Labels, annotators and rules of the project being imported into, loaded once."""

    def __init__(self, membership: Membership, options: ImportOptions) -> None:
        self.id = membership.project_id
        self.allow_overlap = membership.project.allow_overlapping_spans
        self.options = options
        self.labels: dict[tuple[str, str], Label] = {
            (lab.kind, lab.name): lab
            for lab in Label.objects.filter(project_id=self.id).prefetch_related(
                "allowed_sources", "allowed_targets"
            )
        }
        self.new_labels: dict[tuple[str, str], None] = {}  # ordered set, for create_labels
        self.pending: dict[tuple[str, str], None] = {}  # new labels of the record being checked
        self.annotators = {
            m.user.username: m.user_id
            for m in Membership.objects.filter(project_id=self.id, role__in=WRITE_OWN_LAYER).select_related(
                "user"
            )
        }
        self.override = self._override(options.layer)
        # relation label -> names of the span labels it may start at / point to (empty: any)
        self.rules: dict[str, tuple[set[str], set[str]]] = {}

    def _override(self, layer: str | None) -> LayerTarget | None:
        if layer is None or layer == "none":
            return None
        if layer == "gold":
            return LayerTarget(Layer.GOLD)
        if layer == "suggestions":
            return LayerTarget(Layer.SUGGESTION)
        username = layer.split(":", 1)[1]
        if username not in self.annotators:
            raise InvalidInput(
                f"{username!r} is not a member of this project who annotates.",
                fields={"layer": ["annotator:<username> of an annotating member"]},
            )
        return LayerTarget(Layer.ANNOTATOR, self.annotators[username])

    def target(self, layer: LayerRecord, path: str) -> LayerTarget:
        if self.override is not None:
            return self.override
        if layer.layer == GOLD:
            return LayerTarget(Layer.GOLD)
        if layer.layer == SUGGESTIONS:
            return LayerTarget(Layer.SUGGESTION)
        assert layer.layer == ANNOTATOR
        user_id = self.annotators.get(layer.annotator or "")
        if user_id is None:
            raise RecordError(
                f"{path}.annotator",
                f"{layer.annotator!r} is not a member of this project who annotates "
                "(add them, or import with layer=gold or layer=annotator:<username>)",
            )
        return LayerTarget(Layer.ANNOTATOR, user_id)

    def label(self, kind: str, name: str, path: str) -> str:
        """The project's name for a label the record uses; a new one waits in ``pending``
        until the whole record is known to be valid."""
        name = label_name_normal(name)  # as label_create stores names
        if (kind, name) in self.labels:
            return name
        if not label_name_fits(name):
            raise RecordError(path, "a label name must be 1 to 100 characters")
        try:
            check_storable(name, "label")
        except DomainError as exc:
            raise RecordError(path, exc.message) from None
        if self.options.create_labels:
            self.pending[(kind, name)] = None
            return name
        known = sorted(n for k, n in self.labels if k == kind)
        close = [n for n in known if n.casefold() == name.casefold()]
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise RecordError(
            path,
            f"unknown {kind} label {name!r}; {hint}known: {', '.join(known) or 'none'} "
            "(label names are case-sensitive; import with create_labels=true to add it)",
        )

    def check_relation(self, label: str, source: str, target: str, path: str) -> None:
        rule = self.rules.get(label)
        if rule is None:
            stored = self.labels.get((LabelKind.RELATION, label))
            if stored is None:
                return  # created by this import: no constraints yet
            # Once per label, not per relation: every .all() builds a queryset.
            rule = self.rules[label] = (
                {lab.name for lab in stored.allowed_sources.all()},
                {lab.name for lab in stored.allowed_targets.all()},
            )
        breach = rules.relation_labels_breach(*rule, source, target)
        if breach is not None:
            end, allowed = breach
            must = "must start at" if end == "from" else "must point to"
            raise RecordError(f"{path}.{end}", f"{label} {must} a {' or '.join(allowed)} span")
