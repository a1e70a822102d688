"""POST /articles/{id}/relations/ with ``to`` in another article of the project."""

from annotator.annotations.models import AnnotationEvent, Relation, Span
from annotator.projects.models import Label


def test_cross_article_rebuttal(pair):
    claim = pair.span("annotator", pair.first, "inflation would fall to 4.75% by spring", "CLAIM")
    rebuttal = pair.span("annotator", pair.second, "inflation would not fall", "REBUTTAL")
    r = pair.relate("annotator", pair.second, rebuttal["id"], claim["id"], "REBUTS")
    assert r.status_code == 201, r.json()
    rel = Relation.objects.get(pk=r.json()["id"])
    assert (rel.article_id, rel.source_id, rel.target_id) == (pair.second.pk, rebuttal["id"], claim["id"])
    assert rel.target.article_id == pair.first.pk
    # Same checks as within one article: duplicates and label constraints.
    assert pair.relate("annotator", pair.second, rebuttal["id"], claim["id"], "REBUTS").status_code == 409
    bad = pair.relate("annotator", pair.first, claim["id"], rebuttal["id"], "REBUTS")
    assert bad.status_code == 400


def test_only_cross_article_labels_cross(pair):
    Label.objects.filter(project=pair.world.project, name="REBUTS").update(cross_article=False)
    claim = pair.span("annotator", pair.first, "inflation would fall", "CLAIM")
    rebuttal = pair.span("annotator", pair.second, "inflation would not fall", "REBUTTAL")
    r = pair.relate("annotator", pair.second, rebuttal["id"], claim["id"], "REBUTS")
    assert r.status_code == 400 and r.json()["errors"] == {"to": ["span of another article"]}, r.json()
    assert not Relation.objects.exists()


def test_symmetric_label_refuses_the_reverse(pair):
    a = pair.span("annotator", pair.first, "inflation would fall", "CLAIM")
    b = pair.span("annotator", pair.second, "inflation would not fall", "CLAIM")
    assert pair.relate("annotator", pair.first, a["id"], b["id"], "SAME_CLAIM").status_code == 201
    assert pair.relate("annotator", pair.second, b["id"], a["id"], "SAME_CLAIM").status_code == 409
    # REBUTS is not symmetric: a claim rebutting back is another relation (labels allowing).
    assert Relation.objects.count() == 1


def test_other_layers_and_projects_are_not_found(pair):
    mine = pair.span("annotator", pair.second, "inflation would not fall", "REBUTTAL")
    reviewers = pair.span("reviewer", pair.first, "inflation would fall", "CLAIM")
    gold = pair.span("reviewer", pair.first, "4.75%", "CLAIM", layer="gold")
    # Blind annotation: another annotator's span (or gold) is not there for this annotator.
    assert pair.relate("annotator", pair.second, mine["id"], reviewers["id"], "REBUTS").status_code == 404
    assert pair.relate("annotator", pair.second, mine["id"], gold["id"], "REBUTS").status_code == 404
    # A reviewer sees both layers but may not join two of them.
    assert pair.relate("reviewer", pair.second, mine["id"], reviewers["id"], "REBUTS").status_code == 400
    # A span of another project's article is not found.
    other = Span.objects.create(
        article=pair.world.other_article,
        label=Label.objects.get(project=pair.world.other_project, name="CLAIM"),
        layer="annotator",
        annotator=pair.world.annotator,
        start=0,
        end=5,
        text="Other",
    )
    assert pair.relate("annotator", pair.second, mine["id"], other.pk, "REBUTS").status_code == 404
    # A researcher reads but does not write.
    claim = pair.span("annotator", pair.first, "inflation would fall", "CLAIM")
    assert pair.relate("researcher", pair.second, mine["id"], claim["id"], "REBUTS").status_code == 403
    assert not Relation.objects.exists()


def test_deleting_either_end_removes_it_with_history(pair):
    client = pair.world.client("annotator")
    claim = pair.span("annotator", pair.first, "inflation would fall", "CLAIM")
    for label_name, text in (("REBUTTAL", "inflation would not fall"), ("FIGURE", "55 NHS trusts")):
        source = pair.span("annotator", pair.second, text, label_name)
        rel_label = "REBUTS" if label_name == "REBUTTAL" else "SUPPORTS"
        rel = pair.relate("annotator", pair.second, source["id"], claim["id"], rel_label).json()
        if label_name == "REBUTTAL":
            gone = client.delete(f"/api/v1/spans/{source['id']}/", HTTP_IF_MATCH=f'"{source["version"]}"')
            assert gone.status_code == 204, gone.content
            assert not Relation.objects.filter(pk=rel["id"]).exists()
    # Deleting the claim (in the first article) removes the relation that lives in the second.
    supports = Relation.objects.get()
    gone = client.delete(f"/api/v1/spans/{claim['id']}/", HTTP_IF_MATCH=f'"{claim["version"]}"')
    assert gone.status_code == 204, gone.content
    assert not Relation.objects.exists()
    event = AnnotationEvent.objects.get(action="relation.delete", object_id=supports.pk)
    assert event.article_id == pair.second.pk  # recorded where the relation lived


def test_deleting_the_other_article_removes_it(pair):
    claim = pair.span("annotator", pair.first, "inflation would fall", "CLAIM")
    rebuttal = pair.span("annotator", pair.second, "inflation would not fall", "REBUTTAL")
    rel = pair.relate("annotator", pair.second, rebuttal["id"], claim["id"], "REBUTS").json()
    r = pair.world.client("admin").delete(f"/api/v1/articles/{pair.first.pk}/")
    assert r.status_code == 204, r.content
    assert not Relation.objects.exists()
    assert AnnotationEvent.objects.filter(
        action="relation.delete", object_id=rel["id"], article_id=pair.second.pk
    ).exists()


def test_both_articles_show_it(pair, django_assert_max_num_queries):
    claim = pair.span("annotator", pair.first, "inflation would fall", "CLAIM")
    rebuttal = pair.span("annotator", pair.second, "inflation would not fall", "REBUTTAL")
    figure = pair.span("annotator", pair.second, "55 NHS trusts", "FIGURE")
    rel = pair.relate("annotator", pair.second, rebuttal["id"], claim["id"], "REBUTS").json()
    assert (rel["article"], rel["to_article"]) == (pair.second.pk, pair.first.pk)
    pair.relate("annotator", pair.second, figure["id"], claim["id"], "SUPPORTS")
    client = pair.world.client("annotator")
    first = client.get(f"/api/v1/articles/{pair.first.pk}/").json()
    second = client.get(f"/api/v1/articles/{pair.second.pk}/").json()
    assert first["relations"] == [] and second["incoming_relations"] == []
    assert [(r["from"], r["to"], r["article"], r["to_article"]) for r in first["incoming_relations"]] == [
        (rebuttal["id"], claim["id"], pair.second.pk, pair.first.pk),
        (figure["id"], claim["id"], pair.second.pk, pair.first.pk),
    ]
    assert {r["to_article"] for r in second["relations"]} == {pair.first.pk}
    # Blind: another annotator sees none of it, in either article.
    pair.world.client("admin").post(
        f"/api/v1/projects/{pair.world.project.pk}/members/", {"username": "outsider", "role": "annotator"}
    )
    with django_assert_max_num_queries(20):
        other = pair.world.client("outsider").get(f"/api/v1/articles/{pair.first.pk}/").json()
    assert other["incoming_relations"] == [] and other["relations"] == []


def test_a_reviewer_copies_it_into_gold_each_end_in_its_own_article(pair):
    from annotator.workflow.layers import layers_read

    claim = pair.span("annotator", pair.first, "inflation would fall", "CLAIM")
    rebuttal = pair.span("annotator", pair.second, "inflation would not fall", "REBUTTAL")
    rel = pair.relate("annotator", pair.second, rebuttal["id"], claim["id"], "REBUTS").json()
    reviewer = pair.world.client("reviewer")
    copied = reviewer.post(f"/api/v1/relations/{rel['id']}/copy/", {"layer": "gold"}, format="json")
    assert copied.status_code == 201, copied.json()
    gold = Relation.objects.select_related("source", "target").get(layer="gold")
    assert (gold.article_id, gold.source.article_id, gold.target.article_id) == (
        pair.second.pk,
        pair.second.pk,
        pair.first.pk,
    )
    assert (gold.source.text, gold.target.text) == ("inflation would not fall", "inflation would fall")
    assert gold.adjudication == {"from": ["annotator"], "by": "reviewer"}
    again = reviewer.post(f"/api/v1/relations/{rel['id']}/copy/", {"layer": "gold"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == gold.pk
    first = reviewer.get(f"/api/v1/articles/{pair.first.pk}/").json()
    assert [r["id"] for r in first["incoming_relations"] if r["layer"] == "gold"] == [gold.pk]
    # Project adjudication still works one article at a time: it reads no cross-article relation.
    annotator_id = pair.world.annotator.pk
    found = layers_read({pair.first.pk: [annotator_id], pair.second.pk: [annotator_id]})
    assert all(not found[a].annotators[annotator_id].relations for a in found)


def test_relabelling_keeps_the_rules(pair):
    admin = pair.world.client("admin")
    url = f"/api/v1/projects/{pair.world.project.pk}/labels/"
    local = {
        "kind": "relation",
        "name": "ANSWERS",
        "allowed_sources": ["REBUTTAL"],
        "allowed_targets": ["CLAIM"],
    }
    assert admin.post(url, local, format="json").status_code == 201
    claim = pair.span("annotator", pair.first, "inflation would fall", "CLAIM")
    rebuttal = pair.span("annotator", pair.second, "inflation would not fall", "REBUTTAL")
    rel = pair.relate("annotator", pair.second, rebuttal["id"], claim["id"], "REBUTS").json()
    client = pair.world.client("annotator")
    r = client.patch(
        f"/api/v1/relations/{rel['id']}/",
        {"label": "ANSWERS"},
        format="json",
        HTTP_IF_MATCH=f'"{rel["version"]}"',
    )
    assert r.status_code == 400 and r.json()["errors"] == {"label": ["not cross-article"]}
    assert Relation.objects.get(pk=rel["id"]).label.name == "REBUTS"
