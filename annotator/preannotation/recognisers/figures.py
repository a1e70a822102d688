"""FIGURE: quantities as a fact-checker would mark them.

Percentages ("4.75%", "10 per cent"), money with its currency and magnitude ("£1,400",
"£14billion", "$3.2bn", "€5m"), counts with what they count ("55 NHS trusts", "53 areas of
the 264", "a majority of 67"), number words and vague magnitudes ("seven million people",
"tens of thousands of nurses", "thousands of"), multiples and fractions ("double", "a third").

Not figures: dates and years ("28 December", "2023/24", "February 6"), times ("9.30am"),
phone numbers ("999", "0800 123 4567"), numbers inside names ("Number 10", "No10", "Radio 4",
"category 1", "Covid-19", "M25"), ages ("a 42-year-old"), ordinals and sports scores.
Pure: regular expressions only, no Django.
"""

from __future__ import annotations

import re

from .base import Proposal

LABEL = "FIGURE"

_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_UNITS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen"
)
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
# Case-insensitive: a sentence may start with one ("Seven million people").
_WORDNUM = rf"(?i:(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_UNITS}|a hundred|a thousand|a million|a billion|a dozen)"
_MAGNITUDE = r"(?:hundred|thousand|million|billion|trillion)"
_SHORT_MAGNITUDE = r"(?:bn|m|k|tn)"
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
# Words that name a thing by its number (a road, a bus, a level): the number is part of a name.
_NAMING = (
    "Number|No\\.?|Radio|Channel|Category|Level|Tier|Phase|Stage|Grade|Type|Line|Route|Flight|"
    "Section|Article|Apollo|Formula|Band|Zone|Terminal|Platform|Gate|Room|Ward|Block|Unit|"
    "Chapter|Clause|Rule|Division|Series|Season|Episode|Version|Year|Key Stage|Mark|Mk|Bus|"
    "category|level|tier|phase|stage|grade|type|line|route|flight|section|article|zone|"
    "terminal|platform|gate|ward|season|episode|version|bus|number"
)
# Words after a number that are not what it counts, and counted things not plural in -s.
_NOT_COUNTED_WORDS = """
a an the of in on at to for from by with and or but than as per this that these those last
next over under up down is are was were be been being has have had will would could should
may might can said says say told tells rose rise rises fell fall falls grew grow increased
decreased dropped jumped climbed more less fewer times which who while when since until after
before during between into onto about around out off it its their his her our your my we they
he she you i so if then also just only still yet them us each every all some
"""
_NOT_COUNTED = frozenset(_NOT_COUNTED_WORDS.split())
_COUNT_NOUN_WORDS = "people staff children men women police cattle personnel"
_COUNT_NOUNS = frozenset(_COUNT_NOUN_WORDS.split())

_NOT_FIGURES = re.compile(
    "|".join(
        [
            # dates: "28 December", "December 28", "February 6, 2024", years and their ranges
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s(?:of\s)?(?:{_MONTHS})\b",
            rf"\b(?:{_MONTHS})\s\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s\d{{4}})?",
            r"\b(?:1[89]|20)\d{2}(?:/\d{2,4}|-\d{2,4}|s)?\b"
            r"(?!\s(?:people|homes|jobs|houses|staff|workers|patients))",
            # times
            r"\b\d{1,2}(?:[.:]\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w)",
            r"\b\d{1,2}:\d{2}\b",
            # phone numbers
            r"\b(?:999|111|101|112|911)\b",
            r"\b0\d{2,4}\s?\d{3,4}\s?\d{3,4}\b",
            # numbers inside names: "Number 10", "Radio 4", "category 1", "No10", "M25", "Covid-19"
            rf"\b(?:{_NAMING})\s?\d+[A-Za-z]?\b",
            r"\b[A-Za-z]+-?\d+[A-Za-z\d]*\b",
            r"\b\d+[A-Z]+\b",
            # ages, ordinals, scores
            r"\b\d+-year-old\b|\baged\s\d+\b",
            r"\b\d+(?:st|nd|rd|th)\b",
            r"\b\d+-\d+\b",
        ]
    )
)

# Every figure but the wordy ones starts at a number, or at a currency sign: each is found
# once, then read on from there (one scan of the text, not one per kind of figure).
_NUMBER = re.compile(rf"(?:US\$|[£$€¥])\s?{_NUM}|\b{_NUM}|\b{_WORDNUM}\b")  # "50p", "5m" too
_AFTER_NUMBER: list[tuple[re.Pattern[str], float]] = [
    # money: "£14billion", "$3.2bn", "3 million euros", "50p"
    (re.compile(rf"(?:US\$|[£$€¥])\s?{_NUM}(?:\s?(?:{_SHORT_MAGNITUDE}|{_MAGNITUDE})\b)?"), 0.95),
    (
        re.compile(rf"(?:{_NUM}|{_WORDNUM})(?:\s{_MAGNITUDE})?\s(?:pounds|dollars|euros|pence|yen)\b|\d+p\b"),
        0.95,
    ),
    # percentages and percentage points
    (re.compile(rf"(?:{_NUM}|{_WORDNUM})\s?(?:%|per\s?cent\b|percent\b)(?:age points?\b)?"), 0.95),
    (re.compile(rf"(?:{_NUM}|{_WORDNUM})\s(?:percentage\s)?points?\b"), 0.95),
    # "53 areas of the 264"
    (re.compile(rf"{_NUM}\s[a-z]+\sof\s(?:the\s)?{_NUM}\b"), 0.85),
]
# A count: the number with its magnitudes; what it counts is added (_counted).
_COUNT = re.compile(
    rf"{_NUM}(?:{_SHORT_MAGNITUDE}|(?i:kg|km|mph|kph|ml|mg|cm|mm|kwh|mwh|gwh|kw|mw|gw|ft|lbs?|oz))\b"
    rf"|(?:{_NUM}|{_WORDNUM})(?:\s{_MAGNITUDE})*\b"
)
_WORDY: list[tuple[re.Pattern[str], float, bool]] = [  # (pattern, score, add what it counts)
    (re.compile(rf"\b(?:a\s)?majority\sof\s{_NUM}\b"), 0.85, False),
    (
        re.compile(
            r"\b(?i:tens|hundreds|thousands|millions|billions|dozens|scores)\s+of"
            r"(?:\s+(?:thousands|millions|billions)\s+of)?"
        ),
        0.8,
        True,
    ),
    (
        re.compile(
            r"\b(?i:doubl(?:e[ds]?|ing)|tripl(?:e[ds]?|ing)|quadrupl(?:e[ds]?|ing)|twice|halved|"
            r"(?:three|four|five|ten)fold|by half|half of|"
            r"(?:a|one)\s(?:third|quarter|fifth|tenth)|(?:two|three|four)[- ](?:thirds|quarters|fifths))\b"
        ),
        0.7,
        False,
    ),
]
_WORD = re.compile(r"\s+([A-Z]{2,}s?|[a-z][a-z'-]*)")


class Figures:
    """Rule-based FIGURE proposals."""

    name: str = "figures"
    version: str = "1.0"
    description: str = (
        "Quantities: percentages, money, counts with what they count, number words, vague "
        "magnitudes, multiples and fractions; not dates, times, phone numbers or names."
    )
    labels: tuple[str, ...] = (LABEL,)

    def propose(self, text: str) -> list[Proposal]:
        # One byte per character: inside a date, name, time... / inside a figure found.
        excluded = bytearray(len(text) + 1)
        for match in _NOT_FIGURES.finditer(text):
            start, end = match.span()
            excluded[start:end] = b"\x01" * (end - start)
        taken = bytearray(len(text) + 1)
        found: list[tuple[int, int, float]] = []

        def add(start: int, end: int, score: float) -> None:
            taken[start:end] = b"\x01" * (end - start)
            found.append((start, end, score))

        for pattern, score, counts in _WORDY:  # first: "majority of 67" holds its number
            for match in pattern.finditer(text):
                start, end = match.span()
                if not excluded[start] and taken.find(1, start, end) == -1:
                    add(start, _counted(text, end) if counts else end, score)
        for number in _NUMBER.finditer(text):
            start = number.start()
            if excluded[start] or taken[start]:
                continue
            for pattern, score in _AFTER_NUMBER:
                read = pattern.match(text, start)
                if read is not None:
                    add(start, read.end(), score)
                    break
            else:
                count = _COUNT.match(text, start)
                if count is None or count.group().lower() == "one":
                    continue  # "one of many", "one man said": rarely a figure alone
                add(start, _counted(text, count.end()), 0.6)
        found.sort()
        return [Proposal(start, end, LABEL, score) for start, end, score in found]


def _counted(text: str, end: int) -> int:
    """Extend a count over what it counts: acronyms and adjectives up to its plural noun
    ("55 NHS trusts", "seven million people"), at most two words."""
    for _ in range(2):
        match = _WORD.match(text, end)
        if match is None:
            break
        word = match.group(1)
        lowered = word.lower()
        if lowered in _NOT_COUNTED:
            break
        if word.isupper():  # an acronym: what follows may be the noun
            end = match.end()
            continue
        if lowered in _COUNT_NOUNS or (lowered.endswith("s") and not lowered.endswith("ss")):
            return match.end()
        break
    return end
