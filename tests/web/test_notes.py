"""Community notes on the pages: propose, rate, and a shown note under the post."""

from __future__ import annotations

from porch.notes.models import Note, NoteRating, NoteStatus
from porch.posts.models import Audience
from porch.posts.services import do_create_post


def test_propose_rate_and_see_a_shown_note(ana, ben, make_member, login, client):
    post = do_create_post(ana, text="Bridge shut for a year!", audience=Audience.PUBLIC)
    as_ben = login(ben)
    page = as_ben.get(f"/posts/{post.pk}/")
    assert "Community notes" in page.text and "Add context" in page.text

    refused = as_ben.post(f"/posts/{post.pk}/notes", {"text": "Two weeks.", "source_url": "x"})
    assert refused.status_code == 400 and "a source readers can check" in refused.text
    sent = as_ben.post(
        f"/posts/{post.pk}/notes",
        {"text": "Closed for two weeks only.", "source_url": "https://town.example/roads"},
        follow=True,
    )
    assert "your note waits for ratings" in sent.text
    assert "Your note" in sent.text and "Needs more ratings" in sent.text
    note = Note.objects.get()
    assert "Add context" not in sent.text  # one note per member per post

    cy = make_member("cy")
    as_cy = login(cy)
    waiting = as_cy.get("/notes/")
    assert "Closed for two weeks only." in waiting.text
    rated = as_cy.post(f"/notes/{note.pk}/rate", {"value": "helpful"}, follow=True)
    assert "You rated the note “Helpful”" in rated.text
    assert NoteRating.objects.get().rater == cy
    assert as_cy.post(f"/notes/{note.pk}/rate", {"value": "meh"}).status_code == 400
    assert as_ben.post(f"/notes/{note.pk}/rate", {"value": "helpful"}).status_code == 403

    # Not shown until the model says so; then under the post everywhere, for everyone.
    assert "Members added context" not in client.get(f"/posts/{post.pk}/").text
    Note.objects.filter(pk=note.pk).update(status=NoteStatus.HELPFUL, intercept=0.5)
    for viewer in (client, as_cy, login(ana)):
        assert "Members added context" in viewer.get(f"/posts/{post.pk}/").text
    assert "Members added context" in login(ana).get("/@ana/").text
    assert "town.example" in client.get(f"/posts/{post.pk}/").text

    deleted = as_ben.post(f"/notes/{note.pk}/delete", follow=True)
    assert "Your note is deleted" in deleted.text and not Note.objects.exists()


def test_no_notes_on_private_posts(ana, ben, login):
    post = do_create_post(ana, text="Family only", audience=Audience.FRIENDS)
    as_ben = login(ben)
    assert "Community notes" not in as_ben.get(f"/posts/{post.pk}/").text
    answer = as_ben.post(
        f"/posts/{post.pk}/notes", {"text": "x", "source_url": "https://example.org/"}
    )
    assert answer.status_code == 400 and "public posts" in answer.text


def test_replies_from_low_trust_strangers_are_folded(ana, ben, make_member, login):
    from porch.posts.services import do_reply
    from porch.trust.services import compute_trust

    stranger = make_member("stranger", display_name="Sly Stranger")
    post = do_create_post(ana, text="Lost cat on Elm St", audience=Audience.PUBLIC)
    do_reply(stranger, post, text="Click here for free money")
    do_reply(ben, post, text="I'll keep an eye out")
    compute_trust()  # Ana and Ben are friends; the stranger is connected to nobody
    page = login(ben).get(f"/posts/{post.pk}/").text
    assert "1 reply from people you don't know — show" in page
    folded = page.split('class="folded-replies"')[1]
    assert "Click here for free money" in folded and "keep an eye out" not in folded
    assert "2 replies" in page  # still counted
