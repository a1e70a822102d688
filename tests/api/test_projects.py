from annotator.projects.models import Label, Membership, Project


def test_create_project_with_argument_preset(world, api):
    r = api("researcher").post("/api/v1/projects/", {"name": "News", "preset": "argument"}, format="json")
    assert r.status_code == 201 and r.json()["role"] == "admin"
    project = Project.objects.get(pk=r.json()["id"])
    assert Membership.objects.get(project=project).role == "admin"
    labels = {
        lab["name"]: lab for lab in api("researcher").get(f"/api/v1/projects/{project.pk}/labels/").json()
    }
    assert {n: labels[n]["kind"] for n in labels} == {
        "CLAIM": "span",
        "REBUTTAL": "span",
        "FIGURE": "span",
        "REBUTS": "relation",
        "SUPPORTS": "relation",
        "SAME_CLAIM": "relation",
    }
    assert (labels["REBUTS"]["allowed_sources"], labels["REBUTS"]["allowed_targets"]) == (
        ["REBUTTAL"],
        ["CLAIM"],
    )
    assert (labels["SUPPORTS"]["allowed_sources"], labels["SUPPORTS"]["allowed_targets"]) == (
        ["FIGURE"],
        ["CLAIM"],
    )
    flags = {n: (labels[n]["cross_article"], labels[n]["symmetric"]) for n in labels}
    assert flags["SAME_CLAIM"] == (True, True)
    assert flags["REBUTS"] == flags["SUPPORTS"] == (True, False)
    assert flags["CLAIM"] == (False, False)


def test_project_validation(world, api):
    client = api("annotator")
    assert client.post("/api/v1/projects/", {"name": "  "}, format="json").status_code == 400
    r = client.post("/api/v1/projects/", {"name": "X", "preset": "nope"}, format="json")
    assert r.status_code == 400 and "preset" in r.json()["errors"]
    assert client.post("/api/v1/projects/", {"name": "X\x00"}, format="json").status_code == 400


def test_list_shows_only_my_projects(world, api):
    names = [p["name"] for p in api("annotator").get("/api/v1/projects/").json()["results"]]
    assert names == ["Argument"]


def test_members_add_change_remove(world, api):
    admin = api("admin")
    url = f"/api/v1/projects/{world.project.pk}/members/"
    r = admin.post(url, {"username": "outsider", "role": "annotator"}, format="json")
    assert r.status_code == 201 and r.json()["username"] == "outsider"
    assert admin.post(url, {"username": "outsider", "role": "annotator"}, format="json").status_code == 409
    assert admin.post(url, {"username": "ghost", "role": "annotator"}, format="json").status_code == 400
    assert admin.post(url, {"username": "outsider", "role": "king"}, format="json").status_code == 400
    member = f"{url}{r.json()['id']}/"
    assert admin.patch(member, {"role": "reviewer"}, format="json").json()["role"] == "reviewer"
    assert admin.delete(member).status_code == 204
    assert not Membership.objects.filter(project=world.project, user=world.users["outsider"]).exists()


def test_last_admin_cannot_leave(world, api):
    admin = api("admin")
    mine = Membership.objects.get(project=world.project, user=world.users["admin"])
    url = f"/api/v1/projects/{world.project.pk}/members/{mine.pk}/"
    assert admin.patch(url, {"role": "annotator"}, format="json").status_code == 409
    assert admin.delete(url).status_code == 409
    assert Membership.objects.get(pk=mine.pk).role == "admin"


def test_label_schema_editing(world, api):
    admin = api("admin")
    url = f"/api/v1/projects/{world.project.pk}/labels/"
    r = admin.post(
        url,
        {
            "kind": "relation",
            "name": "ATTACKS",
            "allowed_sources": ["REBUTTAL"],
            "allowed_targets": ["CLAIM", "REBUTTAL"],
            "hotkey": "a",
            "colour": "#112233",
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert r.json()["allowed_targets"] == ["CLAIM", "REBUTTAL"]
    assert admin.post(url, {"name": "CLAIM"}, format="json").status_code == 409
    assert admin.post(url, {"name": "NEW", "hotkey": "c"}, format="json").status_code == 409  # CLAIM's key
    assert admin.post(url, {"name": "NEW", "colour": "red"}, format="json").status_code == 400
    assert admin.post(url, {"name": "NEW", "hotkey": "?"}, format="json").status_code == 400
    assert admin.post(url, {"name": "NEW", "allowed_sources": ["CLAIM"]}, format="json").status_code == 400
    detail = f"/api/v1/labels/{r.json()['id']}/"
    assert admin.patch(detail, {"name": "ATTACK"}, format="json").json()["name"] == "ATTACK"
    assert admin.delete(detail).status_code == 204


def test_label_in_use_cannot_be_deleted(world, api):
    api("annotator").post(
        f"/api/v1/articles/{world.article.pk}/spans/", {"start": 0, "end": 3, "label": "CLAIM"}, format="json"
    )
    claim = Label.objects.get(project=world.project, name="CLAIM")
    r = api("admin").delete(f"/api/v1/labels/{claim.pk}/")
    assert r.status_code == 409 and "used by 1" in r.json()["detail"]
    assert Label.objects.filter(pk=claim.pk).exists()


def test_project_update_and_delete(world, api):
    url = f"/api/v1/projects/{world.project.pk}/"
    r = api("admin").patch(
        url, {"guidelines": "# Mark claims", "allow_overlapping_spans": False}, format="json"
    )
    assert r.status_code == 200 and r.json()["guidelines"] == "# Mark claims"
    assert api("reviewer").patch(url, {"name": "Mine"}, format="json").status_code == 403
    assert api("admin").delete(url).status_code == 204
    assert not Project.objects.filter(pk=world.project.pk).exists()
