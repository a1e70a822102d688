"""GET /projects/{id}/spans/: the search behind "link to another article", paged on the server:
words, label, speaker (spelling or the speaker's name), one layer, never another annotator's
layer, never an article hidden from the caller."""

from typing import Any

from annotator.annotations.models import Span, Speaker, SpeakerSpelling
from annotator.articles.models import Assignment
from tests.crossarticle.conftest import Pair


def search(pair: Pair, role: str, **query: Any) -> Any:
    return pair.world.client(role).get(f"/api/v1/projects/{pair.world.project.pk}/spans/", query)


def ids(answer: Any) -> list[int]:
    assert answer.status_code == 200, answer.json()
    return [hit["id"] for hit in answer.json()["results"]]


def test_words_label_speaker_and_the_article_left_out(pair: Pair) -> None:
    claim = pair.span("reviewer", pair.first, "inflation would fall to 4.75%", "CLAIM", "gold")
    rebuttal = pair.span("reviewer", pair.second, "inflation would not fall", "REBUTTAL", "gold")
    figure = pair.span("reviewer", pair.second, "55 NHS trusts", "FIGURE", "gold")
    Span.objects.filter(pk=claim["id"]).update(attributes={"speaker": "Mr Barclay"})
    Span.objects.filter(pk=rebuttal["id"]).update(attributes={"speaker": "the union leader"})
    speaker = Speaker.objects.create(project=pair.world.project, name="Steve Barclay")
    SpeakerSpelling.objects.create(project=pair.world.project, speaker=speaker, spelling="Mr Barclay")

    assert ids(search(pair, "reviewer", layer="gold")) == [claim["id"], rebuttal["id"], figure["id"]]
    assert ids(search(pair, "reviewer", layer="gold", q="FALL inflation")) == [claim["id"], rebuttal["id"]]
    assert ids(search(pair, "reviewer", layer="gold", q="fall", label="REBUTTAL")) == [rebuttal["id"]]
    by_name = search(pair, "reviewer", layer="gold", speaker="steve")  # the speaker's name
    assert ids(by_name) == [claim["id"]] and by_name.json()["results"][0]["speaker"] == "Steve Barclay"
    assert ids(search(pair, "reviewer", layer="gold", speaker="UNION")) == [rebuttal["id"]]  # a spelling
    assert ids(search(pair, "reviewer", layer="gold", exclude_article=pair.first.pk)) == [
        rebuttal["id"],
        figure["id"],
    ]
    hit = search(pair, "reviewer", layer="gold", q="trusts").json()["results"][0]
    assert hit["article_external_id"] == "second" and hit["text"] == "55 NHS trusts" and hit["version"] == 1
    paged = search(pair, "reviewer", layer="gold", page_size=2).json()
    assert paged["count"] == 3 and len(paged["results"]) == 2 and paged["next"]
    unknown = search(pair, "reviewer", layer="gold", label="OPINION")
    assert unknown.status_code == 400 and "label" in unknown.json()["errors"]


def test_an_annotator_searches_only_their_own_layer(pair: Pair) -> None:
    mine = pair.span("annotator", pair.first, "inflation would fall", "CLAIM")
    pair.span("reviewer", pair.second, "inflation would not fall", "REBUTTAL")  # the reviewer's own layer
    pair.span("reviewer", pair.second, "55 NHS trusts", "FIGURE", "gold")
    assert ids(search(pair, "annotator")) == [mine["id"]]  # default: their own layer
    assert search(pair, "annotator", layer="reviewer").status_code == 404  # blind annotation
    assert search(pair, "annotator", layer="gold").status_code == 404
    assert search(pair, "outsider").status_code == 404
    assert ids(search(pair, "researcher", layer="annotator")) == [mine["id"]]


def test_an_annotator_under_overlap_finds_nothing_on_articles_not_theirs(pair: Pair) -> None:
    world = pair.world
    on_first = pair.span("annotator", pair.first, "inflation would fall", "CLAIM")
    pair.span("annotator", pair.second, "55 NHS trusts", "FIGURE")
    admin = world.client("admin")
    settings = {"assignment": "overlap", "annotators_per_article": 1}
    assert admin.patch(f"/api/v1/projects/{world.project.pk}/", settings, format="json").status_code == 200
    Assignment.objects.create(project=world.project, article=pair.first, annotator=world.annotator)
    assert ids(search(pair, "annotator")) == [on_first["id"]]
