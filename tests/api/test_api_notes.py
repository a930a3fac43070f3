"""Community notes through the API."""

from __future__ import annotations

from porch.notes.models import Note, NoteStatus
from porch.posts.models import Audience
from porch.posts.services import do_create_post

from .client import assert_error


def test_propose_rate_and_read_notes(ana, ben, make_member, api_as, anon):
    post = do_create_post(ana, text="Bridge shut for a year!", audience=Audience.PUBLIC)
    as_ben = api_as(ben)
    body = {"text": "Two weeks only.", "source_url": "https://town.example/roads"}
    made = as_ben.post(f"/posts/{post.pk}/notes", body)
    assert made.status_code == 201, made.text
    note = made.json()
    assert note["status"] == "needs_more_ratings" and note["mine"] is True
    assert_error(as_ben.post(f"/posts/{post.pk}/notes", body), 409)
    assert_error(api_as(ana).post(f"/posts/{post.pk}/notes", body), 403)
    bad = as_ben.post(f"/posts/{post.pk}/notes", {**body, "source_url": "nope"})
    assert assert_error(bad, 400)["field"] == "source_url"

    as_cy = api_as(make_member("cy"))
    assert [n["id"] for n in as_cy.get("/notes/to-rate").json()] == [note["id"]]
    assert as_cy.put(f"/notes/{note['id']}/rating", {"value": "helpful"}).status_code == 204
    assert_error(as_cy.put(f"/notes/{note['id']}/rating", {"value": "great"}), 400)
    assert_error(as_ben.put(f"/notes/{note['id']}/rating", {"value": "helpful"}), 403)
    mine = as_cy.get(f"/posts/{post.pk}/notes").json()
    assert mine[0]["my_rating"] == "helpful" and mine[0]["mine"] is False
    assert anon.get(f"/posts/{post.pk}/notes").json() == []  # not shown yet
    assert as_cy.get(f"/posts/{post.pk}").json()["note"] is None

    Note.objects.update(status=NoteStatus.HELPFUL, intercept=0.6)
    assert [n["id"] for n in anon.get(f"/posts/{post.pk}/notes").json()] == [note["id"]]
    assert anon.get(f"/posts/{post.pk}").json()["note"]["text"] == "Two weeks only."

    assert as_cy.delete(f"/notes/{note['id']}/rating").status_code == 204
    assert_error(as_cy.delete(f"/notes/{note['id']}"), 403)
    assert as_ben.delete(f"/notes/{note['id']}").status_code == 204
    assert_error(as_ben.delete(f"/notes/{note['id']}"), 404)


def test_thread_marks_folded_replies(ana, ben, make_member, api_as):
    from porch.posts.services import do_reply
    from porch.trust.services import compute_trust

    stranger = make_member("stranger")
    post = do_create_post(ana, text="Lost cat", audience=Audience.PUBLIC)
    spam = do_reply(stranger, post, text="free money")
    kind = do_reply(ben, post, text="On it")
    compute_trust()
    replies = api_as(ben).get(f"/posts/{post.pk}/thread").json()["replies"]
    assert [(r["id"], r["folded"]) for r in replies] == [(kind.pk, False), (spam.pk, True)]
    as_stranger = api_as(stranger).get(f"/posts/{post.pk}/thread").json()["replies"]
    assert all(not r["folded"] for r in as_stranger)  # one's own replies never fold
