"""CLAIM: direct quotations presented as someone's assertion, with the speaker where the text
names one ("X said", "said X", "X told ...:").

The proposed span is the quoted words, without their quotation marks; the speaker goes into
the proposal's attributes. Marks may be straight or curly, double or curly single, and mixed
("...” or “..."). A quotation that runs on over paragraphs (each opening with a mark, only the
last closed) is one claim per paragraph, all with the speaker named anywhere around them. A
quotation nobody is said to have said (a scare quote, a title) is proposed only when it is
long enough to be an assertion, with a lower score. Reported speech without quotation marks
("X insisted that ...") is proposed with a low score (below 0.5: less than even odds).
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


# Double marks, or curly single ones (an opening one glued to a word is dropped in propose:
# a look-behind here would cost the fast scan for the marks).
_QUOTED = re.compile(
    r"[\"\u201c](?P<quote>[^\"\u201c\u201d\n]{2,}?)[\"\u201d]"
    r"|\u2018(?P<single>[^\u2018\u2019\n]{2,}?(?:\u2019\w[^\u2018\u2019\n]*?)*)\u2019(?!\w)"
)
# A paragraph a quotation runs on from: it opens with a mark and is never closed; the next
# paragraph opens with a mark again. Tried only at a mark that opens a line (found with find).
_RUN_ON = re.compile(
    r"[\"\u201c\u2018](?P<quote>[^\"\u201c\u201d\u2018\u2019\n]{2,})$(?=\n+[ \t]*[\"\u201c\u2018])", re.M
)
_LINE_OPENERS = ('\n"', "\n\u201c", "\n\u2018")
# Reported speech: "The minister insisted that the plan would work." Found from each " that "
# (str.find), with one of these words before it; the speaker is just before the verb and the
# claim the clause after "that", to the end of the sentence. Present "claims" is left out: in
# "rejected claims that ..." it is a noun.
_REPORTED_VERBS = frozenset(
    [
        "insisted",
        "argued",
        "claimed",
        "maintained",
        "warned",
        "said",
        "says",
        "insists",
        "argues",
        "contended",
        "asserted",
    ]
)
_REPORTED_CLAUSE = re.compile(r"(?:[^.!?\n\"\u201c\u201d\u2018]|[.!?](?!\s|$)){15,}?(?=[.!?](?:\s|$)|\n|$)")
_SPEAKER_AT_END = re.compile(rf"(?:^|(?<=\s)){_speaker('speaker')}$")
REPORTED_SCORE = 0.3
# After the closing mark: ', the minister said' / ', said Jane Smith' / ' she told MPs'
_AFTER = re.compile(
    rf"[,.!?]?\s*(?:{_speaker('speaker')}\s(?:{_SPEECH})\b|(?:{_SPEECH})\s{_speaker('named')})"
)
# Before the opening mark: 'Jane Smith said: ' / 'The minister told MPs: ' / 'said Smith, '
_BEFORE = re.compile(
    rf"{_speaker('speaker')}(?:,\s[^,\"“”]{{1,60}},)?\s(?:{_SPEECH})(?:\s(?:[A-Z][\w-]*|that|reporters|journalists|the\s[\w\s]{{1,30}}?|MPs|him|her|them|us))?[,:]?\s*$"
)
_PRONOUN = re.compile(r"(?i:he|she|they|we|I)$")
MIN_UNATTRIBUTED_WORDS = 8


class Quotes:
    """Rule-based CLAIM proposals from direct quotations."""

    name: str = "quotes"
    version: str = "1.1"
    description: str = (
        "Direct quotations presented as someone's assertion (CLAIM), with the speaker found "
        "where the text names one; the speaker is in the suggestion's attributes."
    )
    labels: tuple[str, ...] = (LABEL,)
    relations: tuple[str, ...] = ()

    def propose(self, text: str) -> list[Proposal]:
        proposals = []
        for match in _QUOTED.finditer(text):
            group = "quote" if match.group("quote") is not None else "single"
            if group == "single" and match.start() and text[match.start() - 1].isalnum():
                continue
            proposal = _claim(text, match.start(group), match.end(group), match.start(), match.end())
            if proposal is not None:
                proposals.append(proposal)
        for opening in _line_openers(text):
            run_on = _RUN_ON.match(text, opening)
            if run_on is not None:
                proposal = _claim(text, run_on.start("quote"), run_on.end("quote"), opening, None)
                if proposal is not None:
                    proposals.append(proposal)
        quoted = [(p.start, p.end) for p in proposals]
        proposals += [p for p in _reported(text) if not any(s < p.end and p.start < e for s, e in quoted)]
        proposals.sort(key=lambda p: (p.start, p.end))
        return proposals


def _line_openers(text: str) -> list[int]:
    """Where a quotation mark opens a line (the text's first line included)."""
    found = [0] if text[:1] in ('"', "\u201c", "\u2018") else []
    for opener in _LINE_OPENERS:
        at = text.find(opener)
        while at >= 0:
            found.append(at + 1)
            at = text.find(opener, at + 1)
    return sorted(found)


def _reported(text: str) -> list[Proposal]:
    """Reported speech without quotation marks, scored low."""
    found = []
    at = text.find(" that ")
    while at >= 0:
        verb_start = text.rfind(" ", max(0, at - 16), at) + 1
        if verb_start and text[verb_start:at] in _REPORTED_VERBS:
            clause = _REPORTED_CLAUSE.match(text, at + 6)
            speaker = _SPEAKER_AT_END.search(text, max(0, verb_start - 61), verb_start - 1)
            if clause is not None and speaker is not None:
                who = speaker.group("speaker")
                attributes = {} if _PRONOUN.match(who) else {"speaker": who}
                found.append(Proposal(clause.start(), clause.end(), LABEL, REPORTED_SCORE, attributes))
        at = text.find(" that ", at + 6)
    return found


def _claim(text: str, start: int, end: int, opening: int, closing: int | None) -> Proposal | None:
    """The quotation at ``[start, end)`` (marks at ``opening`` and ``closing``, None when it
    runs on to the next paragraph) as a claim, if it is one."""
    # Trailing punctuation inside the marks belongs to the quotation, not the claim.
    while end > start and text[end - 1] in ",.;: ":
        end -= 1
    if end <= start:
        return None
    speaker = (_speaker_after(text, closing) if closing is not None else None) or _speaker_before(
        text, opening
    )
    if speaker is None and closing is None:
        speaker = _speaker_of_run(text, end)
    if speaker is None and len(text[start:end].split()) < MIN_UNATTRIBUTED_WORDS:
        return None  # a scare quote or a title, not an assertion
    return Proposal(start, end, LABEL, 0.85 if speaker else 0.5, {"speaker": speaker} if speaker else {})


def _speaker_of_run(text: str, pos: int) -> str | None:
    """The speaker named after the closing mark of a quotation running on from ``pos``."""
    closing = _CLOSING.search(text, pos, min(len(text), pos + 2000))
    return _speaker_after(text, closing.end()) if closing else None


_CLOSING = re.compile(r"[\"\u201d\u2019](?!\w)")


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
