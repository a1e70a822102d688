"""The demo project that ``manage.py demo`` creates: guidelines and a few short articles.

The articles are invented for this project (no real reporting); names, places and numbers
are made up. They are written to be annotated with the "argument" preset: each has claims,
rebuttals and figures. One has emoji, one has Windows (CRLF) line endings, so the offsets
of the demo data already exercise code points beyond the BMP and two-character newlines.
"""

import datetime as dt
from typing import Any, TypedDict

PROJECT_NAME = "Demo: argument structure"

PROJECT_DESCRIPTION = (
    "Invented news articles to try the annotator on: mark claims, rebuttals and figures, and link them."
)

GUIDELINES = """\
# Argument structure in news

Mark who argues what, who answers it, and the numbers used as evidence.

## Span labels
- **CLAIM** (`c`): an assertion someone in the article presents as true.
  Mark the proposition itself, without the reporting verb:
  *the minister said* **that the scheme will pay for itself**.
- **REBUTTAL** (`r`): a statement that denies, contradicts or answers a claim.
- **FIGURE** (`f`): a quantitative statement, with its unit and what it counts:
  **4.75%**, **£1,400 a year**, **55 NHS trusts**, **seven million people**.

## Relations
- **REBUTS** (`b`): from a REBUTTAL to the CLAIM it answers.
- **SUPPORTS** (`s`): from a FIGURE to the CLAIM it is offered as evidence for.

## Rules of thumb
1. Leave out the quotation marks and the full stop at the end of a span.
2. A figure inside a claim is marked as well: spans may overlap.
3. Headlines are not annotated; start at the first sentence.
4. If you are unsure, mark the span and leave a comment rather than skipping it.
"""


class DemoArticle(TypedDict):
    external_id: str
    title: str
    source_url: str
    published_at: dt.date
    meta: dict[str, Any]
    text: str


ARTICLES: list[DemoArticle] = [
    {
        "external_id": "demo-001",
        "title": "Central bank holds rates at 4.75% as critics call for a cut",
        "source_url": "https://example.org/news/demo-001",
        "published_at": dt.date(2024, 11, 7),
        "meta": {"section": "economy", "invented": True},
        "text": (
            "The central bank held its main interest rate at 4.75% on Thursday, "
            "saying inflation was still too high to risk a cut.\n\n"
            "Governor Elena Marsh said the decision would bring inflation back to its 2% "
            'target by the end of next year. "Cutting now would undo two years of work," '
            "she told reporters.\n\n"
            "Business groups disagreed. The Federation of Small Firms said high borrowing costs "
            "were already pushing companies under, pointing to 1,240 insolvencies in October "
            'alone. "The bank is fighting last year\'s inflation," its chair, Tom Okafor, said.\n\n'
            "Economists were split: six of the ten polled before the meeting had expected "
            "the rate to stay where it was."
        ),
    },
    {
        "external_id": "demo-002",
        "title": "Households 'will save £1,400' under new energy plan, minister says",
        "source_url": "https://example.org/news/demo-002",
        "published_at": dt.date(2025, 1, 15),
        "meta": {"section": "politics", "invented": True},
        "text": (
            "The energy minister claimed on Wednesday that the government's new insulation plan "
            "would save the average household £1,400 a year on its bills.\n\n"
            "Consumer group BillWatch said the figure was misleading. It calculated that a "
            "typical two-bedroom flat would save closer to £310, and that the £1,400 applied "
            "only to large, poorly insulated detached houses.\n\n"
            'The minister defended the number, saying it was "a fair estimate for the homes '
            'that need help most". The plan is expected to cost £6.2bn over five years.'
        ),
    },
    {
        "external_id": "demo-003",
        "title": "55 NHS trusts missed the four-hour target, report finds",
        "source_url": "https://example.org/news/demo-003",
        "published_at": dt.date(2025, 2, 3),
        "meta": {"section": "health", "invented": True},
        "text": (
            "Fifty-five NHS trusts failed to see most emergency patients within four hours "
            "last winter, according to a report by the independent Care Standards Panel.\n\n"
            "The panel said staff shortages were the main cause and that 55 NHS trusts "
            "could not be expected to improve without more nurses.\n\n"
            'Hospital managers rejected that explanation. "Staffing is up 8% on last year," '
            'said Priya Raman of the Trust Leaders Network. "The real bottleneck is that '
            'patients who are well enough to leave have nowhere to go."\n\n'
            "The panel's figures show one in five beds was occupied by a patient waiting "
            "for a care place."
        ),
    },
    {
        "external_id": "demo-004",
        "title": "Council says new bike lanes cut commute times",
        "source_url": "https://example.org/news/demo-004",
        "published_at": dt.date(2024, 9, 21),
        "meta": {"section": "local", "invented": True, "has_emoji": True},
        "text": (
            "Riverton council says its new protected bike lanes have cut average commute times "
            "on the Harbour Road corridor by 12 minutes 🚲.\n\n"
            '"Cycling journeys are up 40% since March and the buses run on time," '
            "council leader Dave Whitlock posted, adding a thumbs-up 👍🏽.\n\n"
            "Local traders are not convinced. The Harbour Road Business Association said "
            "footfall fell by a quarter over the summer and blamed the loss of 60 parking "
            'spaces. "People drive past us now instead of stopping 😞," one shop owner said.\n\n'
            "The council says a full review will be published in the spring."
        ),
    },
    {
        "external_id": "demo-005",
        "title": "Rail fares to rise 3.1% from 2 March",
        "source_url": "https://example.org/news/demo-005",
        "published_at": dt.date(2025, 1, 9),
        "meta": {"section": "transport", "invented": True, "line_endings": "crlf"},
        # Imported from a Windows tool: the line breaks are CRLF and must stay so.
        "text": (
            "Regulated rail fares will rise by 3.1% from 2 March 2025, the transport "
            "department confirmed.\r\n"
            "\r\n"
            "Ministers said the rise was below inflation and would protect passengers while "
            "funding £850m of track repairs.\r\n"
            "\r\n"
            "Passenger groups said the increase would still add about £120 a year to a typical "
            'season ticket. "Below inflation is not the same as affordable," said Ana '
            "Kowalska of Rail Users United.\r\n"
            "\r\n"
            "Unions argued that the repairs should be paid for by the operators, not by "
            "commuters."
        ),
    },
    {
        "external_id": "demo-006",
        "title": "Seven million people now work from home at least once a week",
        "source_url": "https://example.org/news/demo-006",
        "published_at": dt.date(2024, 6, 12),
        "meta": {"section": "work", "invented": True},
        "text": (
            "Seven million people now work from home at least one day a week, up from "
            "two million in 2019, a survey by the Office for Work Studies found.\n\n"
            "The survey's authors said hybrid working had made staff more productive, citing "
            "a 5% rise in output per hour at the firms they studied.\n\n"
            'Some employers disputed that. "Productivity figures for office work are notoriously '
            "hard to measure,\" said Mark Ellery of the Employers' Council, adding that "
            "junior staff learned less when their teams were rarely together."
        ),
    },
    {
        "external_id": "demo-007",
        "title": "Water company fined £2.3m over sewage spills",
        "source_url": "https://example.org/news/demo-007",
        "published_at": dt.date(2025, 3, 18),
        "meta": {"section": "environment", "invented": True},
        "text": (
            "A water company has been fined £2.3m after it discharged untreated sewage into "
            "the River Lenn on 214 days last year.\n\n"
            "The company said the spills were caused by record rainfall and that its "
            "£40m upgrade of the Lenn treatment works would end them by 2027.\n\n"
            'Campaigners said rainfall was no excuse. "The same works spilled during '
            'a dry summer," said Joanna Pike of Clean Lenn, whose volunteers recorded '
            "31 spills between June and August."
        ),
    },
]
