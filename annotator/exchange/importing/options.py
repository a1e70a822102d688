"""What an import is asked to do (its options) and what it did (its report)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import IO, Any

from annotator.common.errors import InvalidInput
from annotator.exchange.formats import registry
from annotator.exchange.formats.records import Located, RecordError

MAX_ERRORS_REPORTED = 1000
ON_ERROR = ("abort", "skip")

# Opens the uploaded file.
Opener = Callable[[], AbstractContextManager[IO[bytes]]]
# progress(records done, records at most (None: unknown), message)
Progress = Callable[[int, int | None, str], None]


@dataclass(frozen=True)
class ImportOptions:
    format: str = "native"
    on_error: str = "abort"  # "skip": write the valid records and report the rest
    create_labels: bool = False
    # None: each layer as the file says. Else every annotation goes to one layer:
    # "gold", "suggestions", "annotator:<username>", or "none" (articles only).
    layer: str | None = None
    offsets: str = ""  # the unit the file counts offsets in (doccano); "" = the format's default

    def format_options(self) -> registry.Options:
        return registry.Options(offsets=self.offsets)

    def check(self) -> None:
        """Raise InvalidInput for an option no import could run with."""
        if self.format not in registry.IMPORT_FORMATS:
            raise InvalidInput(
                f"Unknown format {self.format!r}.",
                fields={"format": [f"one of {', '.join(registry.IMPORT_FORMATS)}"]},
            )
        if self.on_error not in ON_ERROR:
            raise InvalidInput("on_error must be abort or skip.", fields={"on_error": ["abort or skip"]})
        problem = registry.get(self.format).options_problem(self.format_options(), exporting=False)
        if problem is not None:
            name, message = problem
            raise InvalidInput(f"{name}: {message}.", fields={name: [message]})
        if self.layer is not None and not (
            self.layer in ("gold", "suggestions", "none") or self.layer.startswith("annotator:")
        ):
            raise InvalidInput(
                "layer must be gold, suggestions, none or annotator:<username>.",
                fields={"layer": ["gold, suggestions, none or annotator:<username>"]},
            )


@dataclass
class Report:
    """What an import did (or, when it wrote nothing, would have done)."""

    format: str
    filename: str
    records: int = 0
    valid: int = 0
    articles_created: int = 0
    articles_unchanged: int = 0  # same external id and text: not written again
    conflicts: int = 0  # same external id, other text
    spans_created: int = 0
    relations_created: int = 0
    document_labels_created: int = 0
    states_set: int = 0
    annotations_unchanged: int = 0  # already in the project (or twice in the file)
    labels_created: list[str] = field(default_factory=list)
    error_count: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    written: bool = False

    def error(self, where: Located, err: RecordError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_REPORTED:
            item: dict[str, Any] = {"line": where.line, "field": err.field, "message": err.message}
            if where.file:
                item["file"] = where.file
            self.errors.append(item)

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def discard_writes(self) -> None:
        """The import's transaction was rolled back: nothing it counted as created exists."""
        self.articles_created = self.articles_unchanged = 0
        self.spans_created = self.relations_created = self.document_labels_created = 0
        self.states_set = self.annotations_unchanged = 0
        self.labels_created = []
