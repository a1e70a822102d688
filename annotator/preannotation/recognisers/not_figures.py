"""What looks like a number but is not a FIGURE, by class (the figures recogniser's exclusions).

Each class is a rule about a kind of text, not a list of the false positives one set showed:
dates, years, times and datelines in the common formats; phone numbers, addresses, ages,
ordinals, scores and codes; set phrases that carry a number word ("in two minds", "a million
miles from"), number words as compound adjectives ("a two-tier system"); titles and names
(a quoted title-case run, a capitalised number word inside a sentence); links to other
articles, list numbers, ratings, versions and reference codes. Numbers inside names and ages
are names.py's. Pure: regular expressions only.
"""

from __future__ import annotations

import re

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
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
    r"\d+\s?(?:secs?|seconds?|mins?|minutes?|hrs?|hours?|days?|weeks?|months?|years?|[smhdw])\sago\b",
    # a gallery's or a tag's own counts: "1 of 12 photos", "(12 stories)"
    r"\d+\sof\s\d+\s(?:photos|images|pictures|slides|videos)\b",
    r"(?<=\()\d+\s(?:stories|articles|photos|images|videos|comments|replies)\)",
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
    r"^[ \t]*(?:Read\smore|Related|See\salso|Also\sread|More\son\sthis(?:\sstory)?|Recommended|Next\sarticle"
    r"|Previous\sarticle|Up\snext)(?:\s\w+)?:[^\n]*",
    re.MULTILINE,
)

_LINK_WORDS = (
    "Read more",
    "Related",
    "See also",
    "Also read",
    "More on this",
    "Recommended",
    "Next article",
    "Previous article",
    "Up next",
)


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
