"""Relation labels that cross articles or are symmetric: set and changed in the schema editor,
refused on span and document labels."""


def test_relation_label_flags_set_and_changed(world, api):
    admin = api("admin")
    url = f"/api/v1/projects/{world.project.pk}/labels/"
    r = admin.post(url, {"kind": "relation", "name": "ECHOES", "cross_article": True}, format="json")
    assert r.status_code == 201, r.json()
    assert (r.json()["cross_article"], r.json()["symmetric"]) == (True, False)
    detail = f"/api/v1/labels/{r.json()['id']}/"
    r = admin.patch(detail, {"symmetric": True, "cross_article": False}, format="json")
    assert (r.json()["cross_article"], r.json()["symmetric"]) == (False, True)
    assert admin.get(detail).json()["symmetric"] is True


def test_only_relation_labels_take_the_flags(world, api):
    admin = api("admin")
    url = f"/api/v1/projects/{world.project.pk}/labels/"
    for kind in ("span", "document"):
        for flag in ("cross_article", "symmetric"):
            r = admin.post(url, {"kind": kind, "name": f"N{kind}{flag}", flag: True}, format="json")
            assert r.status_code == 400, (kind, flag)
    claim = next(lab for lab in admin.get(url).json() if lab["name"] == "CLAIM")
    assert (
        admin.patch(f"/api/v1/labels/{claim['id']}/", {"cross_article": True}, format="json").status_code
        == 400
    )
    # Setting them false on a span label asks for nothing it may not have.
    r = admin.patch(f"/api/v1/labels/{claim['id']}/", {"cross_article": False}, format="json")
    assert r.status_code == 200 and r.json()["cross_article"] is False


def test_annotator_cannot_set_the_flags(world, api):
    url = f"/api/v1/projects/{world.project.pk}/labels/"
    r = api("annotator").post(url, {"kind": "relation", "name": "X", "cross_article": True}, format="json")
    assert r.status_code == 403
