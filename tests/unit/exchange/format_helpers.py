"""Texts and helpers shared by the test_format_* modules: code-point ranges, UTF-16 lengths, a tricky record."""

from annotator.exchange.formats.records import GOLD, ArticleRecord, LayerRecord, RelationRecord, SpanRecord

FAMILY = "\U0001f469\u200d\U0001f469\u200d\U0001f467"  # 👩‍👩‍👧: 5 code points, 8 UTF-16 units
# Emoji (astral, ZWJ family), a combining mark, CRLF, a tab and a double space.
TEXT = (
    f"The minister {FAMILY} said inflation was 4.75%.\r\n"
    "But critics \U0001f644 said the cafe\u0301 tax cost £1,400\tper  household.\r\n"
    "55 NHS trusts disagreed."
)


def at(text: str, fragment: str, nth: int = 0) -> tuple[int, int]:
    """The code-point range of the nth occurrence of ``fragment``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(fragment, start + 1)
    return start, start + len(fragment)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def quads(record: ArticleRecord, layer: LayerRecord) -> list[tuple[int, int, str, str]]:
    return sorted((s.start, s.end, s.label, record.text[s.start : s.end]) for s in layer.spans)


def tricky_record() -> ArticleRecord:
    """TEXT with overlapping spans, one across a CRLF and one on an emoji, plus a relation."""
    spans = [
        SpanRecord(*at(TEXT, "The minister"), "SOURCE", key=1),
        SpanRecord(*at(TEXT, f"{FAMILY} said inflation was 4.75%"), "CLAIM", key=2),
        SpanRecord(*at(TEXT, "4.75%"), "FIGURE", key=3),
        SpanRecord(*at(TEXT, "4.75%.\r\nBut critics"), "CLAIM", key=4),
        SpanRecord(*at(TEXT, "\U0001f644"), "TONE", key=5),
        SpanRecord(*at(TEXT, "£1,400"), "FIGURE", key=6),
        SpanRecord(*at(TEXT, "cafe\u0301"), "ITEM", key=7),
    ]
    return ArticleRecord(
        text=TEXT,
        external_id="bulletin-0412",
        title="Inflation row",
        meta={"desk": "economy"},
        article_id=41,
        layers=[LayerRecord(layer=GOLD, spans=spans, relations=[RelationRecord(1, 2, "SAYS")])],
    )
