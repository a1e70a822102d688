"""CLAIM: direct quotations presented as someone's assertion, with the speaker where the text
names one ("X said", "said X", "X told ...:").

The proposed span is the quoted words, without their quotation marks; the speaker goes into
the proposal's attributes. A quotation nobody is said to have said (a scare quote, a title)
is proposed only when it is long enough to be an assertion, with a lower score.
Pure: regular expressions only, no Django.
"""

from __future__ import annotations

import re

from .base import Proposal

LABEL = "CLAIM"

_SPEECH = (
    "said|says|say|told|tells|added|adds|claimed|claims|insisted|insists|warned|warns|argued|"
    "argues|stated|states|declared|declares|announced|announces|admitted|admits|maintained|"
    "maintains|suggested|suggests|wrote|writes|explained|explains|promised|promises|predicted|"
    "predicts|acknowledged|acknowledges|conceded|concedes|noted|notes|stressed|stresses|"
    "asserted|asserts|boasted|boasts|pledged|pledges|vowed|vows|contended|contends|replied|"
    "replies|responded|responds|continued|continues"
)
# A speaker: a name ("Jane Smith", "Dr Amir Khan"), or a role ("the minister", "a spokesman
# for the council"), up to a few words.
_NAME = r"(?:(?:Dr|Mr|Mrs|Ms|Sir|Dame|Lord|Lady|Prof|Professor)\.?\s)?[A-Z][\w'\u2019-]+(?:\s(?:[A-Z][\w'\u2019-]+|de|van|von|bin|al))*"
_ROLE = r"(?:(?i:the)|a|an|one|its|his|her|their|The|A|An|One|Its|His|Her|Their)\s(?:[a-z][\w-]*\s){0,3}?[a-z][\w-]*(?:\sfor\s(?:the\s)?[A-Z]?[\w-]+(?:\s[A-Z][\w-]+)*)?"


def _speaker(group: str) -> str:
    return rf"(?P<{group}>{_NAME}|{_ROLE})"


_QUOTED = re.compile(r"[\"“](?P<quote>[^\"“”\n]{2,}?)[\"”]")
# After the closing mark: ', the minister said' / ', said Jane Smith' / ' she told MPs'
_AFTER = re.compile(
    rf"[,.!?]?\s*(?:{_speaker('speaker')}\s(?:{_SPEECH})\b|(?:{_SPEECH})\s{_speaker('named')})"
)
# Before the opening mark: 'Jane Smith said: ' / 'The minister told MPs: ' / 'said Smith, '
_BEFORE = re.compile(
    rf"{_speaker('speaker')}(?:,\s[^,\"“”]{{1,60}},)?\s(?:{_SPEECH})(?:\s(?:[A-Z][\w-]*|reporters|journalists|the\s[\w\s]{{1,30}}?|MPs|him|her|them|us))?[,:]?\s*$"
)
_PRONOUN = re.compile(r"(?i:he|she|they|we|I)$")
MIN_UNATTRIBUTED_WORDS = 8


class Quotes:
    """Rule-based CLAIM proposals from direct quotations."""

    name: str = "quotes"
    version: str = "1.0"
    description: str = (
        "Direct quotations presented as someone's assertion (CLAIM), with the speaker found "
        "where the text names one; the speaker is in the suggestion's attributes."
    )
    labels: tuple[str, ...] = (LABEL,)
    relations: tuple[str, ...] = ()

    def propose(self, text: str) -> list[Proposal]:
        proposals = []
        for match in _QUOTED.finditer(text):
            quote = match.group("quote")
            start, end = match.start("quote"), match.end("quote")
            # Trailing punctuation inside the marks belongs to the quotation, not the claim.
            while end > start and text[end - 1] in ",.;: ":
                end -= 1
            if end <= start:
                continue
            speaker = _speaker_after(text, match.end()) or _speaker_before(text, match.start())
            if speaker is None and len(quote.split()) < MIN_UNATTRIBUTED_WORDS:
                continue  # a scare quote or a title, not an assertion
            score = 0.85 if speaker else 0.5
            attributes = {"speaker": speaker} if speaker else {}
            proposals.append(Proposal(start, end, LABEL, score, attributes))
        return proposals


def _speaker_after(text: str, pos: int) -> str | None:
    found = _AFTER.match(text, pos, min(len(text), pos + 120))
    return (found.group("speaker") or found.group("named")) if found else None


def _speaker_before(text: str, pos: int) -> str | None:
    window = text[max(0, pos - 120) : pos]
    # Only the sentence the quotation is in.
    window = re.split(r"(?<=[.!?])\s", window)[-1]
    found = _BEFORE.search(window)
    if found is None:
        return None
    speaker = found.group("speaker")
    return None if _PRONOUN.match(speaker) and len(speaker) < 5 else speaker
