"""Native export records as tables and datasets: pandas, Hugging Face ``datasets``, spaCy.

Every offset is a Unicode code point (a Python ``str`` index), half-open: ``text[start:end]``
is the span's text, as in the API and the export. The optional libraries are imported only
when asked for (extras ``pandas``, ``hf``, ``spacy``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

ARTICLE_COLUMNS = ["article_id", "external_id", "title", "text", "source_url", "published_at"]
SPAN_COLUMNS = ["article_id", "external_id", "layer", "annotator", "span_id", "start", "end", "label", "text"]


def _layers(record: dict[str, Any], layer: str | None) -> Iterator[dict[str, Any]]:
    """The record's annotation entries, all of them or those of one layer: ``gold``,
    ``suggestions`` or an annotator's username."""
    for entry in record.get("annotations") or []:
        name = entry.get("annotator") or entry["layer"]
        if layer is None or layer in (name, entry["layer"]):
            yield entry


def span_rows(records: Iterable[dict[str, Any]], layer: str | None = None) -> Iterator[dict[str, Any]]:
    for record in records:
        if record.get("deleted"):
            continue
        for entry in _layers(record, layer):
            for span in entry.get("spans") or []:
                yield {
                    "article_id": record["article_id"],
                    "external_id": record["id"],
                    "layer": entry["layer"],
                    "annotator": entry.get("annotator"),
                    "span_id": span.get("id"),
                    "start": span["start"],
                    "end": span["end"],
                    "label": span["label"],
                    "text": span.get("text", record["text"][span["start"] : span["end"]]),
                }


def to_pandas(records: Iterable[dict[str, Any]], layer: str | None = None) -> tuple[Any, Any]:
    """``(articles, spans)``: a frame with a row per article and one with a row per span
    (of every layer, or of ``layer``)."""
    import pandas as pd

    kept = [r for r in records if not r.get("deleted")]
    articles = pd.DataFrame(
        [
            {
                "article_id": r["article_id"],
                "external_id": r["id"],
                "title": r.get("title", ""),
                "text": r["text"],
                "source_url": r.get("source_url", ""),
                "published_at": r.get("published_at"),
            }
            for r in kept
        ],
        columns=ARTICLE_COLUMNS,
    )
    spans = pd.DataFrame(list(span_rows(kept, layer)), columns=SPAN_COLUMNS)
    return articles, spans


def hf_rows(records: Iterable[dict[str, Any]], layer: str = "gold") -> Iterator[dict[str, Any]]:
    for record in records:
        if record.get("deleted"):
            continue
        entries = list(_layers(record, layer))
        yield {
            "article_id": record["article_id"],
            "id": record["id"],
            "title": record.get("title", ""),
            "text": record["text"],
            "spans": [
                {"start": s["start"], "end": s["end"], "label": s["label"]}
                for entry in entries
                for s in entry.get("spans") or []
            ],
            "document_labels": [label for entry in entries for label in entry.get("document_labels") or []],
        }


def to_hf_dataset(records: Iterable[dict[str, Any]], layer: str = "gold") -> Any:
    """A ``datasets.Dataset``: ``article_id``, ``id``, ``title``, ``text``, ``spans``
    (``start``/``end`` code points, ``label``) and ``document_labels`` of one layer."""
    import datasets

    features = datasets.Features(
        {
            "article_id": datasets.Value("int64"),
            "id": datasets.Value("string"),
            "title": datasets.Value("string"),
            "text": datasets.Value("string"),
            "spans": [
                {
                    "start": datasets.Value("int64"),
                    "end": datasets.Value("int64"),
                    "label": datasets.Value("string"),
                }
            ],
            "document_labels": [datasets.Value("string")],
        }
    )
    return datasets.Dataset.from_list(list(hf_rows(records, layer)), features=features)


def to_spacy(
    records: Iterable[dict[str, Any]], layer: str = "gold", *, lang: str = "en", key: str = "sc"
) -> Any:
    """A spaCy ``DocBin``: one Doc per article (a blank ``lang`` tokenizer), its spans in
    ``doc.spans[key]`` made from the character (code point) offsets, expanded to whole tokens
    where a span boundary falls inside one; the exact offsets are in
    ``doc.user_data["annotator_spans"]``."""
    import spacy
    from spacy.tokens import DocBin, SpanGroup

    nlp = spacy.blank(lang)
    docs = DocBin(store_user_data=True)
    for row in hf_rows(records, layer):
        doc = nlp.make_doc(row["text"])
        spans = [
            doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="expand")
            for s in row["spans"]
        ]
        doc.spans[key] = SpanGroup(doc, name=key, spans=[s for s in spans if s is not None])
        doc.user_data["annotator_spans"] = [[s["start"], s["end"], s["label"]] for s in row["spans"]]
        doc.user_data["article_id"] = row["article_id"]
        docs.add(doc)
    return docs
