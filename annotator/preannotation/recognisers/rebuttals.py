"""REBUTTAL: statements that deny, contradict or answer an earlier claim, each linked
(REBUTS) to the nearest earlier CLAIM it answers.

A sentence is a rebuttal when it opens with a contrasting connective ("But", "However,",
"Yet") or carries a verb of denial ("denied", "rejected claims that", "disputed", "insisted
... despite", "hit back"...), and some claim came before it: a "But" with nothing to answer is
not one. The claims are the quotations the quotes recogniser finds. The span is the sentence
without its connective and final full stop. Pure: regular expressions only, no Django.
"""

from __future__ import annotations

import re

from .base import Link, Proposal
from .quotes import Quotes

LABEL = "REBUTTAL"
RELATION = "REBUTS"

# A sentence: up to a full stop, "!" or "?" followed by a space and a capital (or the end);
# quotation marks may close after the stop.
_SENTENCE = re.compile(r"[^\s].*?(?:[.!?][\"\u201d\u2019]?(?=\s+[\"\u201c\u2018A-Z]|\s*$)|$)", re.DOTALL)
_CONNECTIVE = re.compile(r"(?:But|However|Yet|Nevertheless|In response|Responding)\b,?\s+")
_DENIAL = re.compile(
    r"\b(?:denied|denies|deny|rejected|rejects|dismissed|dismisses|disputed|disputes|refuted|"
    r"refutes|contradicted|contradicts|countered|counters|hit back|insisted|insists|"
    r"challenged|called (?:the|this|it) [\w\s]{0,20}(?:misleading|wrong|false|nonsense))\b"
)


class Rebuttals:
    """Rule-based REBUTTAL proposals, linked to the claim each answers."""

    name: str = "rebuttals"
    version: str = "1.0"
    description: str = (
        "Statements that deny, contradict or answer an earlier claim (REBUTTAL), each with a "
        "REBUTS link to the nearest earlier quoted claim."
    )
    labels: tuple[str, ...] = (LABEL,)
    relations: tuple[str, ...] = (RELATION,)

    def __init__(self) -> None:
        self._claims = Quotes()

    def propose(self, text: str) -> list[Proposal]:
        claims = self._claims.propose(text)
        proposals = []
        for sentence in _SENTENCE.finditer(text):
            start, end = sentence.span()
            connective = _CONNECTIVE.match(text, start)
            if connective is None and _DENIAL.search(text, start, end) is None:
                continue
            earlier = [c for c in claims if c.end <= start]
            if not earlier:
                continue  # nothing said before it to answer
            if connective is not None:
                start = connective.end()
            while end > start and text[end - 1] in ". ":
                end -= 1
            answered = earlier[-1]
            score = 0.7 if connective is not None and _DENIAL.search(text, start, end) else 0.55
            proposals.append(
                Proposal(start, end, LABEL, score, links=(Link(RELATION, answered.start, answered.end),))
            )
        return proposals
