"""The figures recogniser's exclusions, third round of issue 18: more members of each class
(phone numbers in every common shape, list numbering, ratings, scores and times without
am/pm, stages named by number, numbers joined to a named one, more set phrases), each with
several examples written for this test and a figure beside it, and the figures the new rules
must leave alone (compact ranges, vote tallies, prices in pence)."""

import pytest

from annotator.preannotation.recognisers.figures import Figures


def figures(text: str) -> list[str]:
    return [text[p.start : p.end] for p in Figures().propose(text)]


@pytest.mark.parametrize(
    "phone",
    ["020 7946 0018", "0161 496 0000", "07700 900123", "+44 20 7946 0018", "0800 555 111", "+1 212 555 0142"],
)
def test_phone_numbers_are_not_figures(phone: str) -> None:
    assert figures(f"Call the press office on {phone}. Fares rose 6.4% in the year.") == ["6.4%"]


@pytest.mark.parametrize(
    "furniture",
    [
        "Notes to editors:\n1. The union has members in every region.\n2. Ballots closed on Friday.",
        "Key points\n1) Ballots closed on Friday\n2) The count is on Monday",
        "Man of the match: Ogun, 8.\nRatings: Smith 7, Jones 6.",
        "Verdict: 8/10",
        "Rated four stars.",
        "Share | 12 comments | 3 min read",
        "Rank 1: Westvale, 2: Ashby, 3: Corby.",
        "Under section 2(1) and 4(3)(b) of the Act and regulation 12(4).",
        "Watch: the 60-second briefing on a 5-star hotel with a 360-degree view.",
        "See paragraph 4.12, table 3 and appendix 2.",
        "The 72 bus and the 8.15 train were cancelled.",
    ],
)
def test_list_numbers_ratings_and_furniture_are_not_figures(furniture: str) -> None:
    assert figures(f"{furniture}\nFares rose 6.4% in the year.") == ["6.4%"]


@pytest.mark.parametrize(
    "clock",
    [
        "Talks resumed at 14.30 and ended at 16:45.",
        "The polls are open until 21.59.",
        "By 10.30 the queue had gone.",
        "She won 6-4, 3-6, 7-5 in the final.",
        "Arsenal drew 2 - 2 with Chelsea.",
        "A 1\u20130 win lifted them.",
    ],
)
def test_times_without_am_pm_and_scores_are_not_figures(clock: str) -> None:
    assert figures(f"{clock} Fares rose 6.4% in the year.") == ["6.4%"]


@pytest.mark.parametrize(
    "named",
    [
        "On day two of the strike",
        "In round three of talks",
        "Wards 7 and 8 closed",
        "Platforms 3 and 4 reopened",
        "Articles 5 to 7 of the treaty",
        "Routes 38, 39 or 144 were cut",
        "Route 38 and the 144 run hourly",
        "On lap 42 of the race",
    ],
)
def test_stages_and_joined_numbers_named_by_number_are_not_figures(named: str) -> None:
    assert figures(f"{named}, and 2,300 passengers waited.") == ["2,300 passengers"]


@pytest.mark.parametrize(
    "idiom",
    [
        "At one point the talks stalled",
        "On the one hand the plan is bold",
        "It was a game of two halves",
        "It takes two to tango",
        "Two wrongs don't make a right",
        "The two of them met",
        "The big four banks agreed",
        "The plan has a million and one problems",
        "Three cheers for the volunteers",
        "He gave it a ten out of ten",
        "She gave them a thousand-yard stare",
        "By minute ten the Speaker had stood up",
    ],
)
def test_even_more_idioms_are_not_figures(idiom: str) -> None:
    assert figures(f"{idiom}, while 4,200 nurses left.") == ["4,200 nurses"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Inflation will be 3-4% next year and 2\u20133% after.", ["3-4%", "2\u20133%"]),
        (
            "Between 20-30 jobs will go and 2-3 million people are affected.",
            ["20-30 jobs", "2-3 million people"],
        ),
        (
            "MPs backed it by 312 votes to 201 and the council by seven votes to two.",
            ["312 votes to 201", "seven votes to two"],
        ),
        ("Shares closed at 12.50p, up 3p.", ["12.50p", "3p"]),
        ("Rates stayed at 5.25 per cent and the euro at 1.17 against the dollar.", ["5.25 per cent", "1.17"]),
        ("On the first day 300 people queued; he played the part 400 times.", ["300 people", "400"]),
        ("It grew from 3 to 4 million; 9/10 dentists agree.", ["3", "4 million", "9", "10 dentists"]),
        ("The post drew 400 comments from readers.", ["400 comments"]),
        ("Only 1 in 5 firms invest; Three in ten voters agree.", ["1 in 5 firms", "Three in ten voters"]),
        (
            "Labour won 20 of 32 councils and five of the six mayors.",
            ["20 of 32 councils", "five of the six mayors"],
        ),
        ("Call 101 quoting incident 118 of 14 May; fares trebled.", ["trebled"]),
        ("She won 5 in 2024.", ["5"]),
        (
            "Why 2 million homes have no meter, and How 40,000 firms cope.",
            ["2 million homes", "40,000 firms"],
        ),
        ("Sales (12%) rose; the 12 buses and 3 campuses.", ["12%", "12 buses", "3 campuses"]),
    ],
)
def test_figures_beside_the_new_rules_are_still_found(text: str, expected: list[str]) -> None:
    assert figures(text) == expected


# Classes generalised from the errors on dev2's tuning articles (each example written here).


@pytest.mark.parametrize(
    "age",
    [
        "Marsh is 81.",
        "She joined when she was 16, and never left.",
        "Ann Cole, then 29, took over.",
        "He turns 90 in June.",
        "She retired at the age of 70.",
        "He made his debut at 18 in a cup tie.",
    ],
)
def test_ages_in_any_wording_are_not_figures(age: str) -> None:
    assert figures(f"{age} The club has 3,400 members.") == ["3,400 members"]


@pytest.mark.parametrize(
    "clocked",
    [
        "He won by 0.412sec.",
        "Her lap of 1min 31.204sec stood.",
        "He ran 2hr 4min.",
        "A 3.1-second stop cost him.",
        "The horse won in 5min 58.3sec.",
    ],
)
def test_race_and_lap_times_are_durations(clocked: str) -> None:
    assert figures(f"{clocked} A crowd of 48,000 fans watched.") == ["48,000 fans"]


@pytest.mark.parametrize(
    "code",
    [
        "Tallyo 3.0 is out",
        "It runs Ubuntu 24.04 and iOS 18",
        "Version 2.4.1 fixes it",
        "It meets ISO 14001",
        "Planning application 24/03311/OUT was refused",
        "See the journal (vol 12, issue 20455)",
        "Over-18s only: 18+",
        "Buy now in a 3-for-2 deal",
        "Shot on 16mm film",
    ],
)
def test_versions_references_and_codes_are_not_figures(code: str) -> None:
    assert figures(f"{code}, and 3,400 members signed up.") == ["3,400 members"]


@pytest.mark.parametrize(
    "furniture",
    [
        "Read more: The 12 best beaches in Wales",
        "Related: Why 3 million renters are worried",
        "See also: Five things to know about pensions",
        "Shares: 212 | Comments: 40",
        "2.4k shares",
        "The rally starts at 12 noon.",
    ],
)
def test_links_to_other_articles_and_their_counts_are_furniture(furniture: str) -> None:
    assert figures(f"{furniture}\nThe club has 3,400 members.") == ["3,400 members"]


@pytest.mark.parametrize(
    "idiom",
    [
        "It is six of one and half a dozen of the other",
        "She asked if he could count to ten",
        "They put two and two together and made five.",
        "The team took it one game at a time",
        "The bowler was hit for six",
        "Thanks a million, he said",
        "Only one or two members objected",
        "The firm's net zero homes sold",
        "The band released a double album",
        "The players gave 110 per cent",
    ],
)
def test_idioms_from_new_registers_are_not_figures(idiom: str) -> None:
    assert figures(f"{idiom}, while 3,400 members left.") == ["3,400 members"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The plant will create 450 new jobs and 25 convenience shops.",
            ["450 new jobs", "25 convenience shops"],
        ),
        ("The ward has 28 beds: a 28-bed ward, in a 412-page plan.", ["28 beds", "28-bed", "412-page"]),
        ("They won seven of their last nine matches.", ["seven of their last nine matches"]),
        ("It costs \u20ac24-27 a share, and rain of 2-5cm fell.", ["\u20ac24-27", "2-5cm"]),
        ("The cabinet voted 6-3 and the board voted 27 to 11.", ["6-3", "27 to 11"]),
        ("Profits fell by a third as prices rose; it has a third fewer staff.", ["a third", "a third"]),
        (
            "The planet is 40 light years away; it weighs 221g with a 65W charger and 256GB.",
            ["40 light years", "221g", "65W", "256GB"],
        ),
        (
            "With 14 Conservative MPs and 12 staff, Attendance was 5,870.",
            ["14 Conservative MPs", "12 staff", "5,870"],
        ),
        ("Why 2 million homes and 40 bus routes matter.", ["2 million homes", "40 bus routes"]),
        ("It will double between now and 2030.", ["double"]),
        (
            "She left nine grandchildren, 40 firemen, 3 women and 2 specimen jars.",
            ["nine grandchildren", "40 firemen", "3 women", "2 specimen jars"],
        ),
    ],
)
def test_figures_beside_the_dev2_classes_are_still_found(text: str, expected: list[str]) -> None:
    assert figures(text) == expected


@pytest.mark.parametrize(
    "furniture",
    [
        "Posted 2h ago \u00b7 Updated 45m ago",
        "Vol. 12 No. 3, pp 23-45; see p. 12 and p.14.",
        "Gallery: 1 of 12 photos",
        "Filed under: Politics (12 stories)",
        "Next article: Rail fares to rise 4.6% in March",
    ],
)
def test_more_page_furniture_from_scraped_pages(furniture: str) -> None:
    assert figures(f"{furniture}\nThe club has 3,400 members.") == ["3,400 members"]
