"""Numbers that are part of a name, and ages (the figures recogniser's exclusions, by class).

A number after a word that names things by number ("Radio 4", "platform 9", "on day two"),
a misspelling of one ("plaform 4"), a plural of one with numbers joined ("Wards 7 and 8"), a
capitalised word ("Boeing 787", "iOS 17", "Ledgerly 5.0"), a service by its number ("the 72
bus"); and a person's age however it is written ("Haswell is 63.", "then 44,", "at the age of
70"). Split from not_figures.py, which holds the other classes. Pure: regular expressions only.
"""

from __future__ import annotations

import functools
import re

from .not_figures import MONTHS

_MONTH = re.compile(MONTHS)

# Words that name a thing by its number (a road, a bus, a level): the number is part of a name.
_NAMING_WORDS_TEXT = """
number no radio channel category level tier phase stage grade type line route flight
section article apollo formula band zone terminal platform gate room ward block unit
chapter clause rule division series season episode version year mark mk bus junction
incident case page item plot seat row reactor model seeded ranked
paragraph para figure table chart appendix annex schedule amendment regulation exhibit
footnote issue vol volume lot pier stand juror lane pp
"""
_NAMING_WORDS = frozenset(_NAMING_WORDS_TEXT.split())
# Words that name a stage of something by its number when nothing counted follows ("on day
# two", "in round three", "lap 42"); "on the first day 300 people queued" counts people.
_ORDER_WORDS_TEXT = "minute day week round game leg act scene lap hole match test heat set part book volume"
_ORDER_WORDS = frozenset(_ORDER_WORDS_TEXT.split())
# Numbers joined to the one before: "Wards 7 and 8", "routes 38, 39 or 144".
_COORDINATED = re.compile(r"(?<![\d,.])(\d{1,4})(?:,\s\d{1,4})*(?:,?\s(?:and|or|to)|,)(?:\sthe)?\s$")
# A capitalised word before a number names a thing ("Boeing 787", "Ariane 6"), unless it is
# one of these (a sentence may start "About 55 NHS trusts").
_BEFORE_A_FIGURE_TEXT = """
about around some nearly almost only just over under more fewer less roughly
approximately another all those these the by in on at of to with from for and but since
up down a an at least exactly barely fully every each while after before than
"""
_BEFORE_A_FIGURE = frozenset(_BEFORE_A_FIGURE_TEXT.split())
# The word before a number; "No. 7" too, but not a word that ends a sentence ("a year. 55").
_PREVIOUS_WORD = re.compile(r"(?:([A-Za-z][\w&'-]*)\s|\b((?i:no|nos|mk|vol|pt|fig|pp?|para|ch))\.\s?)$")
# Words that may stand before a bare number that is a figure though they are not function
# words: verbs that do not end in -ed or -s ("lost 14", "made 412"), and words that qualify
# an amount ("an extra 300", "the remaining 40").
_BEFORE_A_BARE_FIGURE_TEXT = """
lost made won hit cut set saw got took gave paid sold bought put kept held rose fell grew
spent left sent built brought found ran drew beat led met shot bid hold make win lose
take give pay sell buy keep see get find reach total score scoring saying including
extra further additional estimated record mere remaining other whopping last first next
latest new combined net gross average typical maximum minimum median overall annual
expected projected reported staggering nearly almost roughly approximately just only
than least most all both tally count or nor yet as via per between among into onto out
including some
over under about around near within without against across through towards upon plus minus
times is was are were be been has have had will would could should may might can must do
does did it its their his her our your my we they he she you i that which who then also
"""
_BEFORE_A_BARE_FIGURE = frozenset(_BEFORE_A_BARE_FIGURE_TEXT.split()) | _BEFORE_A_FIGURE
# A bare integer: no decimals, thousands, magnitude or "times" ("played the part 400 times").
_PLAIN_INTEGER = re.compile(
    r"\d{1,4}\b(?![.,:/]\d|\s?(?i:hundred|thousand|million|billion|trillion|times)\b)"
)

_NAME_NUMBER = re.compile(
    r"\d+(?:\.\d+)?\b(?![.,]\d|\s?(?:%|(?i:per\s?cent|percent|hundred|thousand|million|billion|trillion|times)\b"
    r"|(?:m|bn|k)\b))"
)
# An age: "Haswell is 63.", "then 44,", "who turns 77", "at the age of 70", "since he was 15".
_AGE = re.compile(
    r"(?:\b(?:[A-Z][a-z]+|he|she|who|I|they|we)\s(?:is|was|were|are|turns|turned|now)|\bthen|\bthe\sage\sof"
    r"|\bdebut\sat)\s$"
)
_AGE_END = re.compile(r"\d{1,3}(?![\d,.]\d)(?=[.,;:)]|\s(?:in|when|and|but|at|as|on)\b|$)")


def is_an_age(text: str, start: int, end: int) -> bool:
    """A bare number after a person's "is", "was", "turns", "then" ... at a clause's end."""
    return (
        text[start].isdigit()
        and _AGE_END.match(text, start) is not None
        and _AGE.search(text, max(0, start - 24), start) is not None
    )


# A bus, train or service named by its number: "the 72 bus", "the 8.15 train".
_SERVICE = re.compile(r"\d{1,4}(?:\.\d\d)?\s(?:bus|tram|train|coach|service|route|line)\b(?!\s[a-z]+s\b|-)")
# The same, or a number in words: "two", not "two hundred", "two times".
_PLAIN_NUMBER = re.compile(
    rf"{_PLAIN_INTEGER.pattern}|[A-Za-z]+(?:-[a-z]+)?\b(?!\s(?i:hundred|thousand|million|billion|times)\b)"
)


def names_it(text: str, start: int, *, bare: bool) -> bool:
    """The number is part of a name: glued to a word ("Covid-19"), after a word that names
    things by number ("Radio 4", "category 1"; when the number is ``bare``, counting nothing,
    a misspelling of one: "plaform 4"), or after any capitalised word but a few ("Boeing
    787"; not "About 55 NHS trusts")."""
    if (start > 1 and text[start - 1] == "-" and text[start - 2].isalpha()) or _SERVICE.match(text, start):
        return True
    found = _PREVIOUS_WORD.search(text, max(0, start - 30), start)
    if found is None or (bare and found.group(1) in ("and", "or", "to", "the")):
        # "Wards 7 and 8", "routes 38, 39 or 144": named as the first one is
        first = _COORDINATED.search(text, max(0, start - 40), start) if bare else None
        return first is not None and names_it(text, first.start(1), bare=True)
    word = found.group(1) or found.group(2)
    lowered = word.lower().rstrip(".")
    if lowered in _NAMING_WORDS or (bare and _misspelt_naming_word(lowered)):
        return True
    plural = lowered[-1:] == "s" and lowered[:-1] in _NAMING_WORDS
    if bare and (lowered in _ORDER_WORDS or plural) and _PLAIN_NUMBER.match(text, start):
        return True  # "on day two", "in round three"; "platforms 3 and 4"
    if bare and word[0].islower() and _names_by_number(lowered) and _PLAIN_INTEGER.match(text, start):
        return True
    # "Boeing 787", "Ariane 6", "iOS 17", "Ledgerly 5.0": a name's number is an integer or a
    # version, never a magnitude ("Why 2 million homes" counts)
    capital = not word.islower() and lowered not in _BEFORE_A_BARE_FIGURE and not _MONTH.fullmatch(word)
    return capital and _NAME_NUMBER.match(text, start) is not None


def _names_by_number(word: str) -> bool:
    """A lower-case word that is likely a noun naming what follows by number ("berth 11",
    "exit 12", "hall 2"): not a function word, an -ed/-ing/-s verb or plural, an -ly
    adverb, or a verb or qualifier known to stand before a figure."""
    if word in _BEFORE_A_BARE_FIGURE or word.endswith(("ed", "s", "ly")):
        return False
    return not (word.endswith("ing") and len(word) > 5)  # "scoring 152", not "wing 4"


_LONG_NAMING_WORDS = tuple(word for word in _NAMING_WORDS if len(word) >= 5)


@functools.lru_cache(maxsize=4096)
def _misspelt_naming_word(word: str) -> bool:
    """One typing slip (a letter added, dropped, changed, or two swapped) from a naming word
    of five letters or more; shorter ones are too close to ordinary words ("gate", "gave")."""
    return len(word) >= 5 and any(_one_slip(word, name) for name in _LONG_NAMING_WORDS)


def _one_slip(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        i, j = diffs[0], diffs[-1]
        return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]
