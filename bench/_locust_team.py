"""A team at work, for locust (bench/team_load.py starts it; see bench/README.md).

Annotators take the next article from their queue, read it, mark spans and a relation with a
few seconds' thought between actions, and submit; reviewers walk the review queue and
adjudicate; researchers pull incremental exports every 10 s. Every write the server accepted is
written down (``ACKED``) so the runner can check, at the end, that each one is in the database.

The people's tokens come from ``LOAD_PEOPLE`` (a JSON file the runner writes): each simulated
user takes the next token of its role.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from typing import Any

from locust import HttpUser, between, events, task

PEOPLE: dict[str, Any] = json.loads(open(os.environ["LOAD_PEOPLE"]).read())  # noqa: SIM115
PROJECT = PEOPLE["project"]
_next = {role: itertools.cycle(PEOPLE[role]) for role in ("annotators", "reviewers", "researchers")}
ACKED: list[dict[str, Any]] = []  # every accepted write: what it made
THINK = (float(os.environ.get("LOAD_THINK_MIN", "2")), float(os.environ.get("LOAD_THINK_MAX", "5")))
WORDS = 8  # code points per span


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Annotator(HttpUser):
    weight = int(os.environ.get("LOAD_ANNOTATORS", "25"))
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.client.headers.update(auth(next(_next["annotators"])))
        self.article: dict[str, Any] | None = None
        self.spans: list[int] = []

    @task
    def work(self) -> None:
        if self.article is None:
            self.take_next()
        elif len(self.spans) < 4:
            self.mark()
        elif len(self.spans) == 4:
            self.relate()
        else:
            self.submit()

    def take_next(self) -> None:
        answer = self.client.get(f"/api/v1/projects/{PROJECT}/queue/next/", name="queue/next")
        if answer.status_code != 200:
            return
        found = self.client.get(f"/api/v1/articles/{answer.json()['id']}/", name="article detail")
        if found.status_code == 200:
            self.article, self.spans = found.json(), []

    def mark(self) -> None:
        assert self.article is not None
        text_length = len(self.article["text"])
        start = random.randrange(0, max(1, text_length - WORDS))
        body = {
            "start": start,
            "end": min(text_length, start + WORDS),
            "label": random.choice(["CLAIM", "FIGURE"]),
        }
        answer = self.client.post(
            f"/api/v1/articles/{self.article['id']}/spans/", json=body, name="span create"
        )
        if answer.status_code == 201:
            self.spans.append(answer.json()["id"])
            ACKED.append({"kind": "span", "id": answer.json()["id"]})

    def relate(self) -> None:
        assert self.article is not None
        body = {"from": self.spans[0], "to": self.spans[1], "label": "SUPPORTS"}
        with self.client.post(
            f"/api/v1/articles/{self.article['id']}/relations/",
            json=body,
            name="relation create",
            catch_response=True,
        ) as answer:
            if answer.status_code == 400:  # the schema refused this pair of labels: not a failure
                answer.success()
            elif answer.status_code == 201:
                ACKED.append({"kind": "relation", "id": answer.json()["id"]})
        self.spans.append(0)

    def submit(self) -> None:
        assert self.article is not None
        article = self.article["id"]
        state = self.client.get(f"/api/v1/articles/{article}/state/", name="state read")
        version = state.headers.get("ETag", '"0"')
        self.client.put(
            f"/api/v1/articles/{article}/state/",
            json={"status": "submitted"},
            headers={"If-Match": version},
            name="state submit",
        )
        self.article = None


class Reviewer(HttpUser):
    weight = int(os.environ.get("LOAD_REVIEWERS", "3"))
    fixed_count = int(os.environ.get("LOAD_REVIEWERS", "3"))
    wait_time = between(3, 6)

    def on_start(self) -> None:
        self.client.headers.update(auth(next(_next["reviewers"])))

    @task
    def adjudicate(self) -> None:
        page = self.client.get(
            f"/api/v1/projects/{PROJECT}/review-queue/?min_submitted=1&ordering=-disagreements",
            name="review-queue",
        )
        if page.status_code != 200 or not page.json()["results"]:
            return
        article = random.choice(page.json()["results"])["id"]
        self.client.post(
            f"/api/v1/articles/{article}/adjudicate/", json={"min_agreement": 1}, name="adjudicate"
        )


class Researcher(HttpUser):
    fixed_count = int(os.environ.get("LOAD_RESEARCHERS", "2"))
    wait_time = between(10, 10)

    def on_start(self) -> None:
        self.client.headers.update(auth(next(_next["researchers"])))
        self.cursor = ""

    @task
    def pull(self) -> None:
        query = f"?since={self.cursor}" if self.cursor else ""
        answer = self.client.get(f"/api/v1/projects/{PROJECT}/export.jsonl{query}", name="incremental pull")
        if answer.status_code == 200:
            self.cursor = answer.headers.get("X-Export-Cursor", self.cursor)


@events.quitting.add_listener
def _write_acked(environment: Any, **_: Any) -> None:
    out = os.environ.get("LOAD_ACKED")
    if out:
        with open(out, "w") as f:
            json.dump(ACKED, f)
