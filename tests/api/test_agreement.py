"""The agreement report over the API: hand-worked values on three annotators' layers, the
filters, the job, the CSV tables, and clear 400s for bad input."""

import csv
import io
import json
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from annotator.annotations.services import document_label_create, relation_create, span_create, state_set
from annotator.articles.models import Article
from annotator.jobs.models import Job
from annotator.jobs.runner import run_job
from annotator.projects.services import label_create
from tests.conftest import World, add_article, build_world, client_for, result_of

T1 = "The minister said prices rose 4.75%. Unions said that is false."
T2 = "Inflation hit 4.75% in May."


@dataclass
class Scene:
    world: World
    first: Article
    second: Article

    def url(self, query: str = "") -> str:
        return f"/api/v1/projects/{self.world.project.pk}/agreement/{query}"


def _span(user: User, article: Article, needle: str, label: str) -> int:
    start = article.text.index(needle)
    return span_create(
        actor=user, article_id=article.pk, start=start, end=start + len(needle), label=label
    ).pk


def mark_layer(user: User, article: Article, spans: list[tuple[str, str]], rebuts: bool = False) -> None:
    ids = {label: _span(user, article, needle, label) for needle, label in spans}
    if rebuts:
        relation_create(
            actor=user,
            article_id=article.pk,
            source_id=ids["REBUTTAL"],
            target_id=ids["CLAIM"],
            label="REBUTS",
        )


def submit(user: User, article: Article) -> None:
    state_set(actor=user, article_id=article.pk, status="submitted", expected_version=None)


@pytest.fixture
def scene(db: None) -> Scene:
    """Article 1: annotator and ann2 agree on CLAIM and FIGURE and each rebut with a
    different stretch; ann3 marks only the CLAIM; annotator and ann2 set URGENT. Article 2:
    annotator and ann2 mark the same FIGURE; ann3 started it but did not submit."""
    world = build_world(extra_annotators=("ann2", "ann3"))
    label_create(actor=world.admin, project_id=world.project.pk, kind="document", name="URGENT")
    first = add_article(world.admin, world.project, T1, "first")
    second = add_article(world.admin, world.project, T2, "second")
    one, two, three = world.annotator, world.users["ann2"], world.users["ann3"]
    claim, figure = ("prices rose 4.75%", "CLAIM"), ("4.75%", "FIGURE")
    mark_layer(one, first, [claim, figure, ("that is false", "REBUTTAL")], rebuts=True)
    mark_layer(two, first, [claim, figure, ("Unions said that is false", "REBUTTAL")], rebuts=True)
    mark_layer(three, first, [claim])
    for user in (one, two):
        document_label_create(actor=user, article_id=first.pk, label="URGENT")
        mark_layer(user, second, [figure])
        submit(user, second)
    mark_layer(three, second, [figure])
    for user in (one, two, three):
        submit(user, first)
    return Scene(world, first, second)


def _pair(report: dict, a: str, b: str) -> dict:
    return next(p for p in report["pairs"] if (p["a"], p["b"]) == (a, b))


def test_exact_report_matches_the_hand_worked_values(scene: Scene) -> None:
    response = scene.world.client("reviewer").get(scene.url())
    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["articles"], report["annotators"], report["match"], report["status"]) == (
        2, ["ann2", "ann3", "annotator"], "exact", "submitted"
    )  # fmt: skip
    # annotator-ann2: 2 of 3 + 3 on the first article, 1 of 1 + 1 on the second: 2*3/8.
    assert _pair(report, "ann2", "annotator")["span_f1"] == pytest.approx(0.75)
    assert _pair(report, "ann2", "ann3")["span_f1"] == pytest.approx(0.5)  # the CLAIM of 3 + 1
    spans = report["spans"]
    assert spans["count"] == 9
    assert {k: v["count"] for k, v in spans["per_label"].items()} == {"CLAIM": 3, "FIGURE": 4, "REBUTTAL": 2}
    assert spans["per_label"]["CLAIM"]["f1"] == pytest.approx(1.0)
    assert spans["per_label"]["FIGURE"]["f1"] == pytest.approx(4 / 6)  # 2 matched of 4 + 1 + 1
    assert spans["per_label"]["REBUTTAL"]["f1"] == 0
    assert spans["f1"]["micro"] == pytest.approx(10 / 16)  # 5 matched of 16 spans, pooled
    assert spans["f1"]["macro"] == pytest.approx((1 + 4 / 6 + 0) / 3)
    # Different rebuttals: the REBUTS relations' sources differ, so no relation matches.
    assert report["relations"]["f1"]["micro"] == 0
    assert report["relations"]["per_label"]["REBUTS"]["count"] == 2
    assert report["relations"]["per_label"]["SUPPORTS"]["f1"] is None
    labels = report["document_labels"]
    # URGENT: the first article [1, 1, 0], the second [0, 0, missing]: alpha = 1 - 2/3.
    assert labels["units"] == 2
    assert labels["krippendorff_alpha"] == pytest.approx(1 / 3)
    assert labels["cohen_kappa"] is None and "3 took part" in labels["reasons"]["cohen_kappa"]
    assert labels["fleiss_kappa"] is None and labels["reasons"]["fleiss_kappa"]
    assert _pair(report, "ann2", "annotator")["kappa"] == pytest.approx(1.0)
    hardest = report["hardest_articles"]
    assert [h["external_id"] for h in hardest] == ["first", "second"]
    assert hardest[0]["disagreement"] == pytest.approx(1 - (4 / 6 + 0.5 + 0.5) / 3)
    assert hardest[1]["disagreement"] == 0
    assert -1 <= spans["token_kappa"] <= 1
    json.dumps(report, allow_nan=False)  # never NaN


def test_overlap_matching_matches_the_two_rebuttals_and_their_relations(scene: Scene) -> None:
    report = scene.world.client("researcher").get(scene.url("?match=overlap")).json()
    assert _pair(report, "ann2", "annotator")["span_f1"] == 1.0
    assert _pair(report, "ann2", "annotator")["relation_f1"] == 1.0
    assert report["relations"]["per_label"]["REBUTS"]["f1"] == pytest.approx(2 / 4)  # ann3 has none


def test_filters_status_annotators_labels_and_articles(scene: Scene) -> None:
    client = scene.world.client("admin")
    anyone = client.get(scene.url("?status=any")).json()
    assert _pair(anyone, "ann3", "annotator")["articles"] == 2  # ann3's unsubmitted second article
    two = client.get(scene.url("?annotators=annotator,ann2&labels=FIGURE")).json()
    assert two["annotators"] == ["ann2", "annotator"]
    assert list(two["spans"]["per_label"]) == ["FIGURE"]
    assert two["spans"]["f1"]["micro"] == 1.0
    assert two["document_labels"]["units"] == 0 and two["document_labels"]["krippendorff_alpha"] is None
    only = client.get(scene.url(f"?articles={scene.second.pk}")).json()
    assert only["articles"] == 1 and [h["external_id"] for h in only["hardest_articles"]] == ["second"]
    assert client.get(scene.url("?tokens=0")).json()["spans"]["token_kappa"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?labels=NOPE", "labels"),
        ("?annotators=nobody", "annotators"),
        ("?status=done", "status"),
        ("?match=fuzzy", "match"),
        ("?articles=abc", "articles"),
        ("?tokens=maybe", "tokens"),
    ],
)
def test_bad_filters_are_400_naming_the_field(scene: Scene, query: str, field: str) -> None:
    response = scene.world.client("reviewer").get(scene.url(query))
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


def test_an_article_of_another_project_is_400(scene: Scene) -> None:
    response = scene.world.client("reviewer").get(scene.url(f"?articles={scene.world.other_article.pk}"))
    assert response.status_code == 400 and "articles" in response.json()["errors"]


def test_one_coder_gives_nulls_with_reasons_not_a_crash(scene: Scene) -> None:
    report = scene.world.client("reviewer").get(scene.url("?annotators=annotator")).json()
    assert report["articles"] == 0 and report["pairs"] == []
    assert report["spans"]["alpha_unitized"] is None and report["spans"]["reasons"]["alpha_unitized"]
    assert report["spans"]["f1"]["micro"] is None and report["spans"]["reasons"]["f1"]
    assert report["document_labels"]["krippendorff_alpha"] is None


def test_the_job_answers_the_same_report(scene: Scene) -> None:
    client = scene.world.client("researcher")
    response = client.post(scene.url(), {"match": "overlap", "labels": ["CLAIM", "REBUTTAL"]}, format="json")
    assert response.status_code == 202, response.content
    run_job(response.json()["id"], redelivered=False)
    job = Job.objects.get(pk=response.json()["id"])
    direct = client.get(scene.url("?match=overlap&labels=CLAIM,REBUTTAL")).json()
    assert result_of(job) == direct
    bad = client.post(scene.url(), {"match": "fuzzy"}, format="json")
    assert bad.status_code == 400 and "match" in bad.json()["errors"]


def test_csv_tables(scene: Scene) -> None:
    client = scene.world.client("reviewer")
    report = client.get(scene.url()).json()
    pairs = list(csv.reader(io.StringIO(client.get(scene.url("csv/?table=pairs")).content.decode())))
    assert pairs[0] == ["a", "b", "articles", "span_f1", "relation_f1", "kappa", "token_kappa"]
    assert [row[:2] for row in pairs[1:]] == [[p["a"], p["b"]] for p in report["pairs"]]
    assert float(pairs[1][3]) == pytest.approx(report["pairs"][0]["span_f1"])
    response = client.get(scene.url("csv/?table=labels"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    supports = next(r for r in rows if r["label"] == "SUPPORTS")
    assert (supports["kind"], supports["f1"]) == ("relation", "")  # no figure: an empty cell
    assert client.get(scene.url("csv/?table=nope")).status_code == 400


def test_the_command_prints_the_tables(scene: Scene) -> None:
    out = io.StringIO()
    call_command("agreement", str(scene.world.project.pk), "--match", "overlap", stdout=out)
    text = out.getvalue()
    assert "2 articles, annotators: ann2, ann3, annotator (status submitted, match overlap)" in text
    assert re.search(r"^ann2\s+annotator\s+2\s+1\.000\s+1\.000\s+1\.000", text, re.M), text
    assert re.search(r"^relation\s+SUPPORTS\s+0\s+-", text, re.M), text
    with pytest.raises(CommandError, match="labels: not in this project: NOPE"):
        call_command("agreement", str(scene.world.project.pk), "--labels", "NOPE", stdout=out)


def test_the_unitizing_alpha_of_the_report_reproduces_krippendorff_2004(db: None) -> None:
    """The example of Krippendorff (2004, p. 254), c as CLAIM and k as FIGURE, through the API:
    alpha_c .7286, alpha_k 1, both .8587 (unrounded; .8591 from the book's rounded D's)."""
    world = build_world(extra_annotators=("ann2",))
    article = add_article(world.admin, world.project, "x" * 300, "book")
    layers = {
        world.annotator: [(75, 145, "CLAIM"), (220, 250, "CLAIM"), (30, 90, "FIGURE"), (150, 200, "FIGURE")],
        world.users["ann2"]: [
            (70, 150, "CLAIM"),
            (205, 225, "CLAIM"),
            (250, 270, "CLAIM"),
            (30, 90, "FIGURE"),
            (150, 200, "FIGURE"),
        ],
    }
    for user, spans in layers.items():
        for start, end, label in spans:
            span_create(actor=user, article_id=article.pk, start=start, end=end, label=label)
        submit(user, article)
    report = client_for(world.admin).get(f"/api/v1/projects/{world.project.pk}/agreement/").json()
    spans = report["spans"]
    assert spans["per_label"]["CLAIM"]["alpha_unitized"] == pytest.approx(0.7286, abs=1e-4)
    assert spans["per_label"]["FIGURE"]["alpha_unitized"] == pytest.approx(1.0)
    assert spans["alpha_unitized"] == pytest.approx(0.8587, abs=1e-4)
