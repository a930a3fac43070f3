"""Circles: create, list, add and remove friends, rename, delete; someone else's is 404."""

from __future__ import annotations

from porch.graph.models import Circle, CircleMember
from porch.graph.services import do_add_to_circle, do_create_circle
from porch.posts.services import do_create_post


def test_create_and_list(ana, login):
    client = login(ana)
    assert "No circles yet." in client.get("/circles/").text
    response = client.post("/circles/", {"name": "Family"})
    family = Circle.objects.get(owner=ana)
    assert response.status_code == 302 and response.url == f"/circles/{family.pk}/"
    page = client.get("/circles/").text
    assert "Family" in page and "0 people" in page

    duplicate = client.post("/circles/", {"name": "family"})
    assert duplicate.status_code == 400
    assert "You already have a circle with that name." in duplicate.text
    blank = client.post("/circles/", {"name": " "})
    assert blank.status_code == 400 and "Give the circle a name." in blank.text
    assert Circle.objects.count() == 1


def test_add_and_remove_friends(ana, ben, make_member, login):
    stranger = make_member("stranger")
    family = do_create_circle(ana, "Family")
    client = login(ana)
    page = client.get(f"/circles/{family.pk}/").text
    assert '<option value="ben">' in page and "stranger" not in page

    response = client.post(f"/circles/{family.pk}/", {"action": "add", "member": "ben"})
    assert response.status_code == 302
    assert CircleMember.objects.filter(circle=family, member=ben).exists()
    page = client.get(f"/circles/{family.pk}/").text
    assert (
        "Ben Okafor is now in “Family”." in page and "All your friends are in this circle." in page
    )
    assert "1 person" in client.get("/circles/").text

    client.post(f"/circles/{family.pk}/", {"action": "add", "member": "stranger"})
    assert "Only your friends can be in your circles." in client.get(f"/circles/{family.pk}/").text
    assert not CircleMember.objects.filter(member=stranger).exists()

    client.post(f"/circles/{family.pk}/", {"action": "remove", "member": "ben"})
    assert not CircleMember.objects.exists()
    client.post(f"/circles/{family.pk}/", {"action": "add"})
    assert "Choose a friend first." in client.get(f"/circles/{family.pk}/").text


def test_rename_and_delete(ana, ben, login):
    family = do_create_circle(ana, "Family")
    do_create_circle(ana, "Friends")
    do_add_to_circle(ana, family, ben)
    post = do_create_post(ana, text="for family", audience="circles", circle_ids=[family.pk])
    client = login(ana)
    client.post(f"/circles/{family.pk}/", {"action": "rename", "name": "Family & co"})
    family.refresh_from_db()
    assert family.name == "Family & co"
    clash = client.post(f"/circles/{family.pk}/", {"action": "rename", "name": "friends"})
    assert clash.status_code == 400 and "You already have a circle with that name." in clash.text
    family.refresh_from_db()
    assert family.name == "Family & co"

    page = client.get(f"/circles/{family.pk}/").text
    assert "become visible to you alone" in page
    response = client.post(f"/circles/{family.pk}/", {"action": "delete"})
    assert response.url == "/circles/"
    assert not Circle.objects.filter(pk=family.pk).exists()
    assert "for family" not in login(ben).get("/").text
    assert "Only you (its circle was deleted)" in client.get(f"/posts/{post.pk}/").text


def test_someone_elses_circle_is_not_found(ana, ben, login):
    theirs = do_create_circle(ben, "Secret")
    client = login(ana)
    assert client.get(f"/circles/{theirs.pk}/").status_code == 404
    assert client.post(f"/circles/{theirs.pk}/", {"action": "delete"}).status_code == 404
    assert client.get("/circles/99999999999999999999/").status_code == 404
    assert Circle.objects.filter(pk=theirs.pk).exists()
    mine = do_create_circle(ana, "Mine")
    assert client.post(f"/circles/{mine.pk}/", {"action": "explode"}).status_code == 400
