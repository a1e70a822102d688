"""Property: a created span's text is exactly article.text[start:end] in code points,
whatever the text holds; out-of-range, empty and reversed spans are refused with 400."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.annotations.models import Span
from tests.conftest import add_article

PIECES = st.sampled_from(
    [
        "a",
        "Z",
        "7",
        " ",
        "  ",
        "\t",
        "\r\n",
        "\n",
        ".",
        "£",
        "é",
        "e\u0301",  # e + combining acute
        "😀",
        "🙄",
        "\U0001d518",  # astral (fraktur capital U)
        "👩\u200d👩\u200d👧",  # ZWJ family
        "🇬🇧",  # regional indicators
        "\u200b",  # zero-width space
    ]
)
TEXTS = st.lists(PIECES, min_size=1, max_size=40).map("".join).filter(lambda t: t.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS, data=st.data())
def test_created_span_text_matches_codepoint_slice(world, api, text, data):
    article = add_article(world.users["admin"], world.project, text, f"h-{abs(hash(text))}")
    start = data.draw(st.integers(0, len(text) - 1), label="start")
    end = data.draw(st.integers(start + 1, len(text)), label="end")
    client = api("annotator")
    r = client.post(
        f"/api/v1/articles/{article.pk}/spans/", {"start": start, "end": end, "label": "CLAIM"}, format="json"
    )
    assert r.status_code in (201, 409), r.json()  # 409: the same span drawn twice for one text
    if r.status_code == 201:
        assert r.json()["text"] == text[start:end]
        assert Span.objects.get(pk=r.json()["id"]).text == text[start:end]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS, start=st.integers(-5, 60), end=st.integers(-5, 60))
def test_invalid_offsets_are_400_and_write_nothing(world, api, text, start, end):
    if 0 <= start < end <= len(text):
        return  # valid: covered above
    article = add_article(world.users["admin"], world.project, text, f"h-{abs(hash(text))}")
    before = Span.objects.count()
    r = api("annotator").post(
        f"/api/v1/articles/{article.pk}/spans/", {"start": start, "end": end, "label": "CLAIM"}, format="json"
    )
    assert r.status_code == 400, r.json()
    assert r.json()["errors"]
    assert Span.objects.count() == before


def test_non_integer_offsets_are_400(world, api):
    url = f"/api/v1/articles/{world.article.pk}/spans/"
    for body in (
        {"start": "a", "end": 3},
        {"start": 1.5, "end": 3},
        {"start": None, "end": 3},
        {"end": 3},
        {"start": True, "end": 3},
    ):
        r = api("annotator").post(url, {**body, "label": "CLAIM"}, format="json")
        assert r.status_code == 400, (body, r.json())
