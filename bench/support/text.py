"""Synthetic news-like prose for benchmark articles."""

import random

PROSE = (
    "the government said on Tuesday that its plan would cut waiting times but critics argued "
    "figures published by the office for national statistics show inflation at 4.75% while "
    "ministers insisted wages had risen faster than prices across 55 NHS trusts and seven "
    "million people were affected according to a report from the institute which also found "
    "households paid £1,400 more a year than in 2019 although the opposition disputed the claim "
    "calling it misleading and pointing to evidence from councils unions and independent analysts "
    "who warned that the policy could fail unless funding increased significantly next year"
)
WORDS = PROSE.split()


def make_text(rng: random.Random, chars: int) -> str:
    """News-like prose of about ``chars`` code points, ending at a full stop."""
    sentences: list[str] = []
    size = 0
    while size < chars:
        words = rng.choices(WORDS, k=rng.randint(12, 28))
        sentence = " ".join(words).capitalize() + "."
        sentences.append(sentence)
        size += len(sentence) + 1
    return " ".join(sentences)
