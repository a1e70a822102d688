"""The CoNLL tokeniser's fast path (a simpler pattern for texts without marks, joiners,
invisible or astral characters) finds exactly the tokens of the full pattern."""

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.exchange.formats import conll

# What news text is made of, and the characters that make the simple pattern wrong.
ORDINARY = "aZ09 _.,'\u2019-\"!?%£€$()\u2014\u2026\u00e9\u00df\u4e2d\u0416\n\t\u00a0/"
SPECIAL = "\u0301\u093f\u200c\u200d\u00ad\ufeff\u2060\U0001f1ec\U0001f1e7\U0001f469\U0001f3fd\U000e0067\ufe0f"


def full_tokens(text: str) -> list[conll.Token]:
    return [(m.group(), m.start(), m.end()) for m in conll._token_pattern().finditer(text)]


@settings(max_examples=400)
@given(st.text(alphabet=ORDINARY, max_size=80))
def test_ordinary_text_takes_the_fast_pattern_and_finds_the_same_tokens(text):
    assert conll._pattern_for(text) is conll._plain_pattern()
    assert conll.tokens(text) == full_tokens(text)
    assert conll.token_count(text) == len(full_tokens(text))


@settings(max_examples=400)
@given(st.text(alphabet=ORDINARY + SPECIAL, max_size=80) | st.text(max_size=80))
def test_any_text_finds_the_full_patterns_tokens(text):
    assert conll.tokens(text) == full_tokens(text)
    ranges = [(i, i + 3) for i in range(0, len(text), 7)]
    touching = [t for t in full_tokens(text) if any(t[1] < e and s < t[2] for s, e in ranges)]
    assert conll.tokens_touching(text, ranges) == touching


def test_each_special_character_sends_a_text_to_the_full_pattern():
    for c in SPECIAL:
        assert conll._pattern_for(f"word{c}word") is conll._token_pattern(), repr(c)
    # where it matters: a combining mark stays inside its word, a flag is one token
    assert [t for t, _, _ in conll.tokens("cafe\u0301 \U0001f1ec\U0001f1e7")] == [
        "cafe\u0301",
        "\U0001f1ec\U0001f1e7",
    ]
