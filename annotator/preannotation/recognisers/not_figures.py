"""What looks like a number but is not a FIGURE, by class (the figures recogniser's exclusions).

Each class is a rule about a kind of text, not a list of the false positives one set showed:
dates, years, times and datelines in the common formats; phone numbers, addresses, ages,
ordinals, scores and codes; set phrases that carry a number word ("in two minds", "a million
miles from"), number words as compound adjectives ("a two-tier system"); titles and names
(a quoted title-case run, a capitalised number word inside a sentence, a number after a word
that names things by number, misspelt naming words too). Pure: regular expressions only.
"""

from __future__ import annotations

import functools
import re

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
_MONTH = re.compile(MONTHS)
_ZONES = "GMT|BST|UTC|CET|CEST|EST|EDT|CST|PST|PDT|ET|PT"
_HOURS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"

# What starts at a digit is tried behind one look-ahead for it: a dozen alternatives that
# each began with \d cost a dozen failed tries at every position of the text.
_AT_A_DIGIT = [
    # numeric dates, either order, any of - / . between: "2024-03-05", "05/03/2024", "5.3.24"
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b",
    r"\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})\b(?![.,]\d)",
    # dates: "28 December", "4 and 28 March", years and their ranges ("2023/24", "the 1990s")
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s(?:of\s)?(?:{MONTHS})\b",
    rf"\d{{1,2}}\s(?:and|to|-)\s\d{{1,2}}\s(?:{MONTHS})\b",
    rf"\d{{1,2}}[-/.\s](?:{MONTHS})\.?[-/.\s]\d{{2,4}}\b",  # "19-Jul-2025", "5 Dec 2024"
    r"(?:1[89]|20|21)\d{2}(?:/\d{2,4}|-\d{2,4}|s)?\b(?!\s(?:people|homes|jobs|houses|staff|workers|patients))",
    r"\d0s\b",  # decades: "the 80s"
    # times: "9.30am", "10:30", "14.30 GMT", "6 o'clock"
    r"\d{1,2}(?:[.:]\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w)",
    r"\d{1,2}:\d{2}(?::\d{2})?\b",  # "10:30", a race time "2:04:51"
    rf"\d{{4}}\s?(?:{_ZONES})\b",  # "0930 GMT"
    r"\d{1,2}h\d{2}\b",  # "14h30"
    r"24/7\b",  # round the clock
    rf"\d{{1,2}}[.:]\d{{2}}\s?(?:{_ZONES})\b",
    # a time of day after a preposition, without am/pm: "at 14.30", "until 9.45", "by 23.59"
    r"(?:(?<=[Aa]t\s)|(?<=[Bb]y\s)|(?<=until\s)|(?<=till\s)|(?<=before\s)|(?<=after\s)|(?<=around\s))"
    r"(?:[01]?\d|2[0-3])[.:][0-5]\d\b(?![.,]\d|\s?(?:%|p\b|per\b|pc\b|pence|points?|pts|percent|[a-z]+s\b"
    r"|m\b|bn\b|million|billion|cents?|against|an?\b))",
    r"\d{1,2}\so'clock\b",
    # page furniture: "7 min read", "3 hours ago"
    r"\d+\s?(?:min|mins|minute|minutes)\s(?:read|listen|watch)\b",
    r"\d+\s?(?:secs?|seconds?|mins?|minutes?|hrs?|hours?|days?|weeks?|months?|years?)\sago\b",
    # phone numbers: emergency, "020 7946 0018", "0161 496 0000", "07700 900123", "+44 20 7946 0018"
    r"(?:999|111|101|112|911)\b(?![,.]\d|\s(?:[a-z]+s|staff|people|hundred|thousand|million|billion)\b)",
    r"0\d{2,4}\s?\d{3,4}(?:\s?\d{3,4})?\b",
    r"0\d{4}\s?\d{6}\b",
    r"(?<=\+)\d{1,3}\s(?:\(0\)\s?)?\(?\d{1,5}\)?(?:[\s-]\d{2,5}){1,4}\b",
    # a list's item numbers at a line's or sentence's start: "1. Unison is...", "2) Ballots..."
    r"(?<![^\n])\s*\d{1,2}[.)]\s(?=[A-Z\"\u201c])",
    r"(?<=[.:]\s)\d{1,2}[.)]\s(?=[A-Z])",
    r"(?<=[,;]\s)\d{1,2}:\s(?=[A-Z])",  # "Rank 1: Westvale, 2: Ashby"
    # legal references: "section 2(1)", "4(3)(b)", "regulation 12(4)"
    r"\d{1,3}(?:\([0-9a-z]{1,3}\))+",
    r"(?<=[\w)]\()\d{1,3}(?=\))",
    # a duration or a rating made an adjective: "the 60-second briefing", "a 4.8-second stop",
    # "a 5-star hotel", "a 360-degree view" (a count made one is a figure: "a 28-bed ward")
    r"\d+(?:\.\d+)?-(?:second|star)\b|360-degree\b",
    r"\d+mm\s(?:film|lens|camera)\b",  # a format's name
    # hyperbole: "gave 110 per cent"
    r"(?:(?<=gave\s)|(?<=give\s)|(?<=giving\s)|(?<=gives\s))1[1-9]0\s?(?:%|per\s?cent\b|percent\b)",
    # ratings: "8/10", "4/5" (not "9/10 people")
    r"\d{1,2}/(?:5|10)\b(?![/\d]|\s(?:[a-z]+s|people|of)\b)",
    # addresses: "14 Mill Lane"
    r"\d{1,4}\s[A-Z][a-z]+\s(?:Street|Road|Lane|Avenue|Close|Way|Drive|Place|Square|Terrace|Crescent|Gardens)\b",
    # ages, ordinals, scores, product codes: "42-year-old", "3rd", "3-1", "5G"
    r"\d+-year-old\b",
    r"\d+(?:st|nd|rd|th)\b",
    # (a score, not a range: "3-4%", "20-30 jobs", "2-3 million" are figures)
    r"(?<!voted\s)(?<!vote\s)\d+\s?[-\u2013]\s?\d+\b(?![.,]\d|\s?(?:%|per\s?cent|percent|m\b|bn\b|k\b)"
    r"|\s(?:[a-z]+s|hundred|thousand|million|billion|people|staff)\b)",
    r"\d+(?:G|K|D)\b",
    # race and lap times, margins: "1min 29.179sec", "0.061sec", "6min 41.2sec" (durations)
    r"\d+(?:\.\d+)?\s?(?:secs?|mins?|hrs?)\b(?:\s\d+(?:\.\d+)?\s?secs?\b)?",
    r"\d+\.\d+s\b",
    # versions, references and codes: "4.2.1", "25/01456/FUL", "18+", "3-for-2"
    r"\d+\.\d+\.\d+\b",
    r"\d+(?:/\d+)+/[A-Za-z]+\b|\d{1,4}/\d{4,}\b",
    r"(?:16|18|21)\+(?!\s?[a-z]+s\b)",  # an age limit
    r"\d+-for-\d+\b",
    r"\d{1,2}\s(?:noon|midnight)\b",
    # an apostrophe's year, an age set off by commas, an index: "the '90s", "Sue Barlow, 58,",
    # "S&P 500"; a cricket score of runs for wickets: "86 for 3"
    r"(?<=')\d{2}s?\b",
    r"(?<=[a-z],\s)\d{1,3}(?=[,.](?!\d))",
    # page furniture: "12 comments | 3 min read"
    r"\d+(?:\.\d+k?|k)?\s(?:comments?|replies|shares|views|likes)(?=\s*(?:[|\u2022\xb7]|\n|$))",
    r"(?:(?<=Shares:\s)|(?<=Comments:\s)|(?<=Likes:\s)|(?<=Views:\s)|(?<=Replies:\s))\d+",
    r"(?<=[A-Z]&[A-Z]\s)\d+\b",
    r"\d{1,3}\sfor\s(?:\d|10)\b(?![.,]\d|\s?%|\s[a-z]+s\b)",
]
# Tried only where a number starts (figures' one scan of the text finds those): searching
# every position of the stretches around numbers cost a quarter of the recogniser's time.
AT_A_DIGIT = re.compile("|".join(_AT_A_DIGIT))


def _either_case(words: str) -> str:
    return " ".join(f"{w} {w.capitalize()} {w.upper()}" for w in words.split())


# What starts at a word, keyed by that word as written: tried only where it stands (the same
# scan reads the words). Each reaches a number within a few words, "zero-" and "triple lock"
# excepted, which are figure words themselves.
_AT_A_WORD = [
    (
        MONTHS.replace("|", " "),
        rf"\b(?:{MONTHS})\.?\s\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s\d{{4}})?",
    ),  # "Feb. 21"
    (
        "text call dial ring phone",
        r"\b(?:text|call|dial|ring|phone)\b[^.\n]{0,20}?\b\d{4,6}(?:\s\d{3,4}){0,2}\b",
    ),
    ("aged", r"\baged\s\d{1,3}(?:(?:,\s|\s(?:to|and|-)\s)\d{1,3})*\b"),
    ("under over", r"\b(?:under|over)\s\d{1,2}(?=[.,;)]|\s(?:to|and|or)\b)"),
    (_either_case("zero"), r"\b(?i:zero)-[a-z]+"),
    ("triple", r"\btriple lock\b"),
    (_either_case("junctions"), r"\b(?i:junctions)\s\d+\s(?:and|to)\s\d+\b"),
    (
        _either_case("comments replies shares photos images"),
        r"\b(?i:comments|replies|shares|photos|images)\s?\(\d+\)",
    ),
    # page furniture counting its own pages: "Page 2 of 3", "Image 3 of 8"
    (
        _either_case("page image photo picture slide part step"),
        r"\b(?i:page|image|photo|picture|slide|part|step)\s\d+\s(?:of|/)\s\d+\b",
    ),
]
AT_A_WORD: dict[str, re.Pattern[str]] = {
    word: pattern
    for words, source in _AT_A_WORD
    for pattern in [re.compile(source)]
    for word in words.split()
}


# Set phrases that carry a number word without counting anything, and times of day in words.
# Looked for over the whole text: "double" and "half" are figures' words, not numbers.
_SET_PHRASES_TEXT = r"""
(?:in|of)\stwo\sminds
| one\sin\sa\s(?:hundred|thousand|million|billion)
| a\s(?:hundred|thousand|million|billion)\s(?:miles|times|ways|reasons|things|questions|words|thanks)
| a\shundred\sand\sone
| two\sand\stwo
| two\sheads\sare
| (?:one|two)\sof\sa\skind
| one\sand\s(?:the\ssame|only)
| back\sto\ssquare\sone
| (?:on\s)?cloud\snine | nine\slives | the\swhole\snine\syards | forty\swinks | six\sfeet\sunder
| at\ssixes\sand\ssevens | six\sof\sone | ten\sa\spenny | a\sdime\sa\sdozen | ten\sto\sone
| two\s(?:left\sfeet|cents|peas) | in\sone\spiece | in\sa\ssecond
| too\s[a-z]+\sby\shalf | not\shalf\s(?:bad|as) | half\sthe\sbattle | half-(?:hearted|baked|truth)
| double[-\s](?:edged|check(?:ed|ing|s)?|standards?|act|whammy|bind|agent|meaning|life|
    trouble|down|dutch|decker|take|talk|figures|digits?|cross(?:ed|ing)?|barrel(?:led)?)
| nine\stimes\sout\sof\sten | twenty-four\s(?:seven|hours\sa\sday) | fifty-fifty
| (?:one|two)\sin\sthe\sbush | in\sa\s(?:million|thousand|hundred)\syears | two\sthumbs
| (?:one|two)\sstep(?:s)?\s(?:forward|back|at\sa\stime|ahead) | a\sthousand\stimes\s(?:over|more)
| (?:a|one)\shundred(?:\sand\s[a-z]+)?\s(?:per\s?cent|percent)(?!\s(?:of|rise|increase|fall|cut|drop)\b)
| (?:double|triple)\s(?!(?:its|his|this|was|is|has|as|us)\b)[a-z]{3,}s\b
| a\s(?:hundred|thousand)\sand\sone | (?:kill|killing|killed)\stwo\sbirds | with\sone\sstone
| high\sfive | take\sfive | the\sfour\scorners | (?:think|thinks|thinking|thought)\stwice
| once\sor\stwice | twice\sover | on\sthe\sdouble | seeing\sdouble | two\ssides\sof\sthe\ssame
| one\sby\sone | two\sby\stwo | at\sone\s(?:point|stage|time) | (?:on|at)\sthe\sone\shand
| (?:game|match|tale)\sof\stwo\shalves | takes\stwo\sto | two\swrongs | the\s(?:two|three)\sof\s(?:them|us|you)
| (?:one|two|three|four|five)\sstars?(?=[.,;!?\n]|$) | ten\sout\sof\sten | a\sthousand\scuts
| (?:a\s)?million\sand\sone | half\sa\sdozen\sof\sthe\sother | count(?:ing|s|ed)?\sto\sten
| (?:make|makes|making|made)\sfive(?=[\"'\u201d.,;!?]) | one\sor\stwo | (?:one|two)\s(?:point|game|match|race|day|step)\sat\sa\stime
| (?:hit|hits|knocked)\sfor\s(?:six|four) | thanks\sa\s(?:million|bunch) | net\szero
| (?:double|triple|treble)\s(?!(?:its|their|his|her|our|your|my|the|a|an|this|that|these|those|in|to|from|since|over
    |by|and|or|again|every|each|within|after|before|next|last|what|it|them|up|down|if|when|as|compared|on|at|for
    |year|month|week|day|quarter|times?|digits?|figures?|between|during|under|while|so|but|than|yet|overnight
    |soon|now|then|too|or|with|because|without|again)\b)[A-Za-z]+ | three\scheers | the\sbig\s(?:two|three|four|five|six) | (?:a|one)\sin\sa\smillion | second\sto\snone
| (?:{hours})(?:\s(?:thirty|fifteen|forty-five))?\s(?:in\sthe\s(?:morning|afternoon|evening)|at\snight)
"""
_SET_PHRASES_SOURCE = re.sub(r"\s+", "", _SET_PHRASES_TEXT).replace("{hours}", _HOURS)
_SET_PHRASES = re.compile(rf"\b(?i:{_SET_PHRASES_SOURCE})\b")
# The same, tried on lower-cased text: matching case-blind costs several times as much.
_SET_PHRASES_LOWER = re.compile(rf"\b(?:{_SET_PHRASES_SOURCE})\b")
# A number word made into an adjective: "a two-tier system", "a one-off", "a three-way race";
# not fractions ("two-thirds"), numbers ("twenty-five") or durations (the recogniser's own rule).
_WORD_NUMBERS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    "sixty|seventy|eighty|ninety|hundred|thousand|million|single|double"
)
_FRACTIONS = "halves|thirds|quarters|fourths|fifths|sixths|sevenths|eighths|ninths|tenths"
_COMPOUND = re.compile(
    rf"\b(?i:{_WORD_NUMBERS})-(?!(?i:{_WORD_NUMBERS}|{_FRACTIONS}|year|month|week|day|hour|minute)s?\b)[a-z]+"
)


# Links to other articles: the rest of the line is another article's headline. One search of
# the text (keyed on their first words, they cost a look-up at every "More" and "See").
_LINKS = re.compile(
    r"^[ \t]*(?:Read\smore|Related|See\salso|Also\sread|More\son\sthis(?:\sstory)?|Recommended)(?:\s\w+)?:[^\n]*",
    re.MULTILINE,
)

_LINK_WORDS = ("Read more", "Related", "See also", "Also read", "More on this", "Recommended")


def excluded_stretches(
    text: str, numbers: list[tuple[int, int]], words: list[tuple[int, re.Pattern[str]]]
) -> list[tuple[int, int]]:
    """Where no figure may start: dates, times, codes...; looked for only at the ``numbers``
    that start with a digit and at the ``words`` of AT_A_WORD, each with its pattern."""
    found = [m.span() for m in _LINKS.finditer(text)] if any(w in text for w in _LINK_WORDS) else []
    for start, _ in numbers:
        if text[start].isdigit():
            match = AT_A_DIGIT.match(text, start)
            if match is not None:
                found.append(match.span())
    for start, pattern in words:
        match = pattern.match(text, start)
        if match is not None:
            found.append(match.span())
    return found


def in_a_phrase_or_title(text: str, start: int, end: int, lowered: str | None = None) -> bool:
    """The candidate at ``[start, end)`` is a number word of a set phrase or of a compound
    adjective, or a number inside a title or name. Asked per candidate, in a few dozen code
    points around it: scanning whole texts for these costs more than all the rest. ``lowered``
    is ``text.lower()`` when that keeps every offset, made once per text by the caller."""
    if text[start].isalpha():  # set phrases and compounds are written in words
        capital = text[start].isupper() or (
            text.startswith(("a ", "A "), start) and text[start + 2 : start + 3].isupper()
        )
        compound = _COMPOUND.match(text, start + 2 if text.startswith(("a ", "A "), start) else start)
        if compound or (capital and _begins_a_name(text, start)):
            return True
        phrases, searched = (_SET_PHRASES, text) if lowered is None else (_SET_PHRASES_LOWER, lowered)
        for match in phrases.finditer(searched, max(0, start - 24), min(len(text), end + 40)):
            if match.start() <= start < match.end():
                return True
    elif _UNQUOTED_TITLE.match(text, start):
        return True
    return _in_quoted_title(text, start)


# A quoted run of title-case words ("'Twelve Quiet Rivers'", "“Towns 2040: A Plan”"): a title.
_SMALL = "of|the|a|an|and|or|for|in|on|to|at|by|with|from|vs"
_TITLE_WORD = rf"(?:[A-Z0-9][\w'\u2019&.,:-]*|{_SMALL})"
_QUOTED_TITLE = re.compile(
    rf"(?<!\w)['\u2018\"\u201c](?=[A-Z0-9])({_TITLE_WORD}(?:\s{_TITLE_WORD}){{0,9}})[\u2019'\"\u201d](?!\w)"
)
# Digits that begin a run of capitalised words not ending in what they count: a title or a
# name ("the film 12 Rivers East", "A Fairer System: 12 Reforms"); not "20 Premier League
# clubs" (a plural noun follows) nor "55 NHS trusts" (an acronym).
_UNQUOTED_TITLE = re.compile(
    rf"\d+(?:\s(?!(?:{MONTHS})\b)[A-Z][a-z]+)++(?!\s(?:[a-z]+s|[A-Z]{{2,}}s)\b|[\w-])"  # possessive: the whole run
)
# A capitalised number word: inside a sentence it begins a name ("the film Seven Dark
# Summers"); at a sentence start, when a capitalised word that is not an acronym follows.
_CAPITAL_NUMBER = re.compile(
    r"\b(?:(?:A|a)\s(?=[A-Z]))?(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|Twelve|"
    r"Thirteen|Fourteen|Fifteen|Sixteen|Seventeen|Eighteen|Nineteen|Twenty|Thirty|Forty|"
    r"Fifty|Sixty|Seventy|Eighty|Ninety|Hundred|Thousand|Million)\b(?:\s([A-Z][A-Za-z]*))?"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]['\u2019\"\u201d]?\s+|\n\s*|[\"\u201c\u2018(]\s*)$")


def _begins_a_name(text: str, start: int) -> bool:
    match = _CAPITAL_NUMBER.match(text, start)
    if match is None:
        return False
    if _SENTENCE_START.search(text, max(0, start - 4), start) is None:
        return True
    following = match.group(1)
    return following is not None and not following.isupper()


def _in_quoted_title(text: str, start: int) -> bool:
    low = max(0, start - 80)
    opening = max(text.rfind("'", low, start), text.rfind('"', low, start))
    opening = max(opening, text.rfind("\u2018", low, start), text.rfind("\u201c", low, start))
    if opening < 0:
        return False
    match = _QUOTED_TITLE.match(text, opening)
    return match is not None and match.start(1) <= start < match.end(1)


# Words that name a thing by its number (a road, a bus, a level): the number is part of a name.
_NAMING_WORDS_TEXT = """
number no radio channel category level tier phase stage grade type line route flight
section article apollo formula band zone terminal platform gate room ward block unit
chapter clause rule division series season episode version year mark mk bus junction
incident case page item plot seat row reactor model seeded ranked
paragraph para figure table chart appendix annex schedule amendment regulation exhibit
footnote issue vol volume lot pier stand juror lane
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
_PREVIOUS_WORD = re.compile(r"(?:([A-Za-z][\w&'-]*)|\b((?i:no|nos|mk|vol|pt|fig))\.)\s$")
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
    found = _PREVIOUS_WORD.search(text, max(0, start - 30), start)
    if found is None or (bare and found.group(1) in ("and", "or", "to", "the")):
        # "Wards 7 and 8", "routes 38, 39 or 144": named as the first one is
        first = _COORDINATED.search(text, max(0, start - 40), start) if bare else None
        return first is not None and names_it(text, first.start(1), bare=True)
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
