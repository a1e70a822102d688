"""FIGURE: quantities as a fact-checker would mark them.

Percentages ("4.75%", "10 per cent"), money with its currency and magnitude ("£1,400",
"£14billion", "$3.2bn", "€5m"), counts with what they count ("55 NHS trusts", "53 areas of
the 264", "a majority of 67"), number words and vague magnitudes ("seven million people",
"tens of thousands of nurses", "thousands of"), multiples and fractions ("double", "a third").

Not figures (not_figures.py, by class): dates, times and datelines in the common formats,
phone numbers, numbers inside names and titles (misspelt naming words too), set phrases with
number words ("in two minds"), number words as adjectives ("a two-tier system"), ages,
ordinals and sports scores; durations (here).
Pure: regular expressions only, no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import figures_model
from .base import Proposal
from .figures_model import features
from .names import is_an_age, names_it
from .not_figures import AT_A_WORD, excluded_stretches, in_a_phrase_or_title

LABEL = "FIGURE"

_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_RANGE = rf"{_NUM}(?:\s?[-\u2013]\s?{_NUM}(?![\d.]))?"  # a compact range is one figure: "3-4%", "20-30 jobs"
_UNITS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen"
)
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
# Case-insensitive: a sentence may start with one ("Seven million people").
_WORDNUM = rf"(?i:(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_UNITS}|a hundred|a thousand|a million|a billion|a dozen)"
_MAGNITUDE = r"(?:hundred|thousand|million|billion|trillion)"
_SHORT_MAGNITUDE = r"(?:bn|m|k|tn)"
_TIME_UNITS_TEXT = """
year years month months week weeks day days hour hours minute minutes second seconds
decade decades quarters century centuries night nights weekend weekends season seasons summers
winters
"""
_TIME_UNITS = frozenset(_TIME_UNITS_TEXT.split())
# Words after a number that are not what it counts, and counted things not plural in -s.
_NOT_COUNTED_WORDS = """
a an the of in on at to for from by with and or but than as per this that these those last
next over under up down is are was were be been being has have had will would could should
may might can said says say told tells rose rise rises fell fall falls grew grow increased
decreased dropped jumped climbed more less fewer times which who while when since until after
before during between into onto about around out off it its their his her our your my we they
he she you i so if then also just only still yet them us each every all some most many
several few
"""
_NOT_COUNTED = frozenset(_NOT_COUNTED_WORDS.split())
_COUNT_NOUN_WORDS = "people staff children men women police cattle personnel"
_COUNT_NOUNS = frozenset(_COUNT_NOUN_WORDS.split())
# Plurals not in -s ("nine grandchildren", "40 firemen"); not "specimen", "regimen".
_IRREGULAR_PLURALS = ("children", "women", "men", "people", "feet", "sheep", "geese", "mice", "teeth")
_NOT_PLURALS = ("imen", "omen")

# Durations written as compounds: "five-year contract", "21 and 22-year-olds", "10-year bonds".
_DURATION_COMPOUND = re.compile(r"(?:\s(?:and|or|to)\s\d{1,3})?-(?:year|month|week|day|hour|minute)s?\b")

# Every figure but the wordy ones starts at a number, or at a currency sign: each is found
# once, then read on from there (one scan of the text, not one per kind of figure).
_DIGITS = re.compile(rf"(?:US\$|[£$€¥])\s?{_NUM}|\b{_NUM}")  # "50p", "5m" too
_NUMBER_WORD = re.compile(rf"\b{_WORDNUM}\b")
_NOT_A_YEAR = r"(?<!\b1[89]\d\d)(?<!\b20\d\d)"  # "5 in 2024" is a number and a year
# "of the", "of their last", "of its remaining"
_THEIR_LAST = (
    r"(?:(?:the|their|its|his|her|our|your|these|those)\s)?(?:(?:last|first|next|past|previous|remaining)\s)?"
)
_AFTER_NUMBER: list[tuple[str, re.Pattern[str]]] = [
    # money: "£14billion", "$3.2bn", "3 million euros", "50p"
    (
        "money",
        re.compile(
            rf"(?:US\$|[£$€¥])\s?{_NUM}(?:\s?[-\u2013]\s?(?:[£$€¥])?{_NUM})?(?:\s?(?:{_SHORT_MAGNITUDE}|{_MAGNITUDE})\b)?"
        ),
    ),
    (
        "money",
        re.compile(
            rf"(?:{_NUM}|{_WORDNUM})(?:\s{_MAGNITUDE})?\s(?:pounds|dollars|euros|pence|yen)\b|{_NUM}p\b"
        ),
    ),
    # percentages and percentage points
    ("percent", re.compile(rf"(?:{_RANGE}|{_WORDNUM})\s?(?:%|per\s?cent\b|percent\b)(?:age points?\b)?")),
    ("percent", re.compile(rf"(?:{_NUM}|{_WORDNUM})\s(?:percentage\s)?points?\b")),
    # "53 areas of the 264"
    ("n_of_m", re.compile(rf"{_NUM}\s[a-z]+\sof\s(?:the\s)?{_NUM}\b")),
    # "20 of 32 councils", "five of the six banks", "one in four children", "1 in 5 firms"
    (
        "n_of_m",
        re.compile(
            rf"(?>{_NUM}|{_WORDNUM})\s(?:of\s{_THEIR_LAST}|in\s(?:every\s)?)(?:{_NUM}|{_WORDNUM})\b{_NOT_A_YEAR}"
        ),
    ),
]
# A count made an adjective, marked without its noun: "a 28-bed ward", "a 412-page report"
# (a duration made one is not a figure: _DURATION_COMPOUND).
_MADE_AN_ADJECTIVE = r"(?:(?<=\d)-(?!(?:year|month|week|day|hour|minute|second|old)s?\b)[a-z]{2,}\b(?!-))?"
_ADJECTIVE_END = re.compile(r"\d-[a-z]+$")
# A count: the number with its magnitudes; what it counts is added (_counted).
_COUNT = re.compile(
    rf"{_RANGE}(?:{_SHORT_MAGNITUDE}|(?i:kg|km|mph|kph|ml|mg|cm|mm|kwh|mwh|gwh|kw|mw|gw|ft|lbs?|oz|pts|gb|tb|mb"
    rf"|mah|hz|ghz|mhz|fps|in|g|w|x|m)|°?C|km/h)\b"
    rf"|(?:{_RANGE}|{_WORDNUM})(?:\s{_MAGNITUDE})*\b{_MADE_AN_ADJECTIVE}"
)
_WORDY: list[tuple[str, re.Pattern[str], bool]] = [  # (kind, pattern, add what it counts)
    ("majority", re.compile(rf"\b(?:a\s)?majority\sof\s{_NUM}\b"), False),
    (
        "vague",
        re.compile(
            r"\b(?i:tens|hundreds|thousands|millions|billions|dozens|scores)\s+of"
            r"(?:\s+(?:thousands|millions|billions)\s+of)?"
        ),
        True,
    ),
    (
        "multiple",
        re.compile(
            r"\b(?i:doubl(?:e[ds]?|ing)|tripl(?:e[ds]?|ing)(?!\s+lock)|trebl(?:e[ds]?|ing)|quadrupl(?:e[ds]?|ing)|twice|halved|"
            r"(?:three|four|five|ten)fold|by half|half of|"
            r"(?:a|one)\s(?:third|quarter|fifth|tenth)"
            r"(?=\s+(?:of|since|in|over|on|from|to|last|this|between|than|and|or|but|after|a|the|as|fewer|more|less"
            r"|lower|higher|smaller|bigger|larger|cheaper|down|up|off|while|when|because|before|by|at|with)\b"
            r"|[.,;:!?)\"\u201d]|$)|"
            r"(?:two|three|four)[- ](?:thirds|quarters|fifths))\b"
        ),
        False,
    ),
]
# The words each of those patterns (and a number in words) can start with: the text is read
# word by word and a pattern tried only where its first word is. One scan of the words costs a
# fraction of what each case-blind pattern costs tried at every word boundary.
_FIRST_WORDS: list[str] = [
    "a majority",
    "tens hundreds thousands millions billions dozens scores",
    "double doubled doubles doubling triple tripled triples tripling treble trebled trebles trebling "
    "quadruple quadrupled "
    "quadruples quadrupling twice halved threefold fourfold fivefold tenfold by half a one two "
    "three four",
]
_NUMBER_WORDS = f"{_UNITS}|{_TENS}|a".split("|")
_STARTS: dict[str, tuple[int, ...]] = {}
for _n, _words in enumerate([*_FIRST_WORDS, " ".join(_NUMBER_WORDS)]):
    for _w in _words.split():
        _STARTS[_w] = (*_STARTS.get(_w, ()), _n)
_AS_NUMBER = len(_FIRST_WORDS)  # the index of a number in words in _STARTS' tuples
# Each word as written ("three", "Three", "THREE") to the patterns it may start and the
# exclusion it may start: one look-up per word of the text, no lower-casing.
_BY_WORD: dict[str, tuple[tuple[int, ...], re.Pattern[str] | None]] = {}
for _w, _which in _STARTS.items():
    for _form in (_w, _w.capitalize(), _w.upper()):
        _BY_WORD[_form] = (_which, AT_A_WORD.get(_form))
for _w, _exclusion in AT_A_WORD.items():
    _BY_WORD.setdefault(_w, (_STARTS.get(_w.lower(), ()), _exclusion))
_TALLY = re.compile(rf"\sto\s(?:{_NUM}|{_WORDNUM})\b")
_TOKEN = re.compile(r"[A-Za-z]+")
_WORD = re.compile(r"\s+([A-Z]{2,}s?|[A-Z]?[a-z][a-z'-]*)")


class Figures:
    """FIGURE proposals: candidates the rules read, scored by the learned filter (figures_model)."""

    name: str = "figures"
    version: str = "1.3"
    description: str = (
        "Quantities: percentages, money, counts with what they count, number words, vague "
        "magnitudes, multiples and fractions; not dates, datelines, times, phone numbers, names, titles "
        "or set phrases."
    )
    labels: tuple[str, ...] = (LABEL,)
    relations: tuple[str, ...] = ()

    def propose(self, text: str) -> list[Proposal]:
        """The candidates the rules take that the model finds at least even odds for, scored by
        that probability (what the rules leave out is never proposed: it only teaches the model)."""
        proposals = []
        for candidate in self.candidates(text, left_out=False):
            chance = figures_model.probability(candidate.features)
            if chance >= figures_model.THRESHOLD:
                proposals.append(Proposal(candidate.start, candidate.end, LABEL, round(chance, 4)))
        return proposals

    def candidates(self, text: str, *, left_out: bool = True) -> list[Candidate]:
        """Every number and figure word the rules read, in text order: what they take for a
        figure and (with ``left_out``) what they leave out, a date, a name, a set phrase...,
        each with the features the model scores. Numbers inside a figure taken are not
        candidates of their own."""
        # One byte per character: inside a date, name, time... / inside a figure found.
        excluded = bytearray(len(text) + 1)
        numbers, wordy, exclusions = _scan(text)
        # Dates, names and the rest are looked for only where a number or their word starts.
        for start, end in excluded_stretches(text, numbers, exclusions):
            excluded[start:end] = b"\x01" * (end - start)
        taken = bytearray(len(text) + 1)
        lower = text.lower()
        # None where a letter lower-cases to two ("İ"): the offsets would move.
        lowered = lower if len(lower) == len(text) else None
        found: list[Candidate] = []

        def add(start: int, end: int, kind: str, why: str) -> None:
            if not why:
                taken[start:end] = b"\x01" * (end - start)
            elif not left_out:
                return
            found.append(Candidate(start, end, features(text, start, end, kind, why)))

        for (kind, _, counts), matches in zip(_WORDY, wordy, strict=True):  # first: "majority of 67"
            for start, end in matches:  # holds its number
                if taken.find(1, start, end) != -1:
                    continue
                why = _why_left_out(text, start, end, excluded, lowered)
                add(start, _counted(text, end) if counts and not why else end, kind, why)
        for start, number_end in numbers:
            if taken[start]:
                continue
            why = _why_left_out(text, start, number_end, excluded, lowered)
            if why:  # read no further: the number alone is the candidate
                add(start, number_end, "number", why)
                continue
            for kind, pattern in _AFTER_NUMBER:
                read = pattern.match(text, start)
                if read is None:
                    continue
                if kind == "n_of_m":  # with what they count: "one in five adults"; not "incident 118 of 14"
                    if names_it(text, start, bare=True):
                        add(start, number_end, "number", "name")
                        break
                    add(start, _counted(text, read.end()), kind, why)
                else:
                    add(start, read.end(), kind, why)
                break
            else:
                count = _COUNT.match(text, start)
                if count is None or count.group().lower() == "one":
                    continue  # "one of many", "one man said": rarely a figure alone
                adjective = _ADJECTIVE_END.search(count.group())  # "a 28-bed ward": without its noun
                end = count.end() if adjective else _counted(text, count.end())
                if text.endswith(("votes", "vote"), 0, end) or text.endswith("voted ", 0, start):  # a tally
                    tally = _TALLY.match(text, end)
                    end = end if tally is None else tally.end()
                if names_it(text, start, bare=end == count.end()):
                    why = "name"
                elif end == count.end() and is_an_age(text, start, end):
                    why = "age"
                elif _is_duration(text, start, count.end()) or _DURATION_COMPOUND.match(text, count.end()):
                    why = "duration"
                add(start, end if not why else count.end(), "count", why)
        found.sort(key=lambda c: (c.start, c.end))
        return found


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    features: tuple[str, ...]


def _why_left_out(text: str, start: int, end: int, excluded: bytearray, lowered: str | None) -> str:
    """Why the rules leave the candidate out: "" when they don't."""
    if excluded[start]:
        return "date_time_code"
    if in_a_phrase_or_title(text, start, end, lowered):
        return "phrase_title"
    return ""


def _scan(
    text: str,
) -> tuple[list[tuple[int, int]], list[list[tuple[int, int]]], list[tuple[int, re.Pattern[str]]]]:
    """The numbers (in digits or words) and each _WORDY pattern's matches, in text order, as
    ``finditer`` would find them (no two matches of one pattern overlap); and the words where
    an exclusion of not_figures.AT_A_WORD may start, with its pattern."""
    numbers = [m.span() for m in _DIGITS.finditer(text)]
    wordy: list[list[tuple[int, int]]] = [[] for _ in _WORDY]
    exclusions: list[tuple[int, re.Pattern[str]]] = []
    ends = [0] * (len(_WORDY) + 1)  # where each pattern's last match ended
    by_word = _BY_WORD.get
    for token in _TOKEN.finditer(text):
        found = by_word(token.group())
        if found is None:
            continue
        which, exclusion = found
        start = token.start()
        if exclusion is not None:
            exclusions.append((start, exclusion))
        for n in which:
            if start < ends[n]:
                continue
            match = (_NUMBER_WORD if n == _AS_NUMBER else _WORDY[n][1]).match(text, start)
            if match is not None:
                (numbers if n == _AS_NUMBER else wordy[n]).append(match.span())
                ends[n] = match.end()
    numbers.sort()
    return numbers, wordy, exclusions


def _counted(text: str, end: int) -> int:
    """Extend a count over what it counts: acronyms and adjectives up to its plural noun
    ("55 NHS trusts", "seven million people"), at most two words."""
    pos = end
    for _ in range(2):
        match = _WORD.match(text, pos)
        if match is None:
            break
        word = match.group(1)
        lowered = word.lower()
        if lowered in _NOT_COUNTED:
            break
        if word.isupper():  # an acronym: what follows may be the noun
            end = pos = match.end()
            continue
        plural = lowered.endswith("s") and not lowered.endswith(("ss", "us", "is"))
        if (
            plural
            or lowered in _COUNT_NOUNS
            or (lowered.endswith(_IRREGULAR_PLURALS) and not lowered.endswith(_NOT_PLURALS))
            or lowered.endswith("women")
        ):
            return match.end()
        pos = match.end()  # an adjective, or a noun as one: "450 new jobs", "25 convenience shops"
    return end


def _is_duration(text: str, start: int, end: int) -> bool:
    """A length of time ("two years", "six consecutive quarters"), not a figure; "3.6 million
    hours" is one: a quantity of time."""
    if _MAGNITUDES.search(text, start, end):
        return False
    half = _AND_A_HALF.match(text, end)
    end = end if half is None else half.end()
    for _ in range(2):
        match = _WORD.match(text, end)
        if match is None:
            return False
        word = match.group(1).lower()
        if word in _TIME_UNITS:
            return True
        if word == "light":  # "40 light years" is a distance
            return False
        if word in _NOT_COUNTED:  # "grew by 140,000 last year": the time is not what it counts
            return False
        end = match.end()
    return False


_MAGNITUDES = re.compile(_MAGNITUDE)
_AND_A_HALF = re.compile(r"\sand\sa\s(?:half|quarter)\b")
