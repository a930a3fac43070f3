"""Community notes on the server: proposing, rating, scoring in the background."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from porch.errors import Conflict, InvalidInput, NotAllowed, NotFound
from porch.notes.models import Note, NoteRating, NoteStatus
from porch.notes.services import (
    do_propose_note,
    do_rate_note,
    notes_on,
    notes_to_rate,
    score_notes,
    shown_notes,
)
from porch.posts.models import Audience
from porch.posts.services import do_create_post, do_reply

SOURCE = "https://example.org/facts"


@pytest.fixture
def ana(make_member):
    return make_member("ana")


@pytest.fixture
def ben(make_member):
    return make_member("ben")


@pytest.fixture
def rumour(ana):
    return do_create_post(ana, text="The bridge closes for a year!", audience=Audience.PUBLIC)


def test_a_note_needs_a_public_first_post_context_and_a_source(ana, ben, rumour, befriend):
    befriend(ana, ben)
    private = do_create_post(ana, text="Friends only", audience=Audience.FRIENDS)
    reply = do_reply(ana, rumour, text="Really!")
    with pytest.raises(InvalidInput, match="public posts"):
        do_propose_note(ben, private.pk, text="No.", source_url=SOURCE)
    with pytest.raises(InvalidInput, match="public posts"):
        do_propose_note(ben, reply.pk, text="No.", source_url=SOURCE)
    with pytest.raises(NotAllowed, match="your own post"):
        do_propose_note(ana, rumour.pk, text="No.", source_url=SOURCE)
    with pytest.raises(InvalidInput, match="context"):
        do_propose_note(ben, rumour.pk, text="  ", source_url=SOURCE)
    with pytest.raises(InvalidInput, match="under 500"):
        do_propose_note(ben, rumour.pk, text="x" * 501, source_url=SOURCE)
    for bad in ("", "example.org", "javascript:alert(1)", "ftp://example.org/x"):
        with pytest.raises(InvalidInput, match="source"):
            do_propose_note(ben, rumour.pk, text="Closed 2 weeks.", source_url=bad)
    with pytest.raises(NotFound):
        do_propose_note(ben, 999999, text="No.", source_url=SOURCE)
    note = do_propose_note(ben, rumour.pk, text="Closed two weeks only.", source_url=SOURCE)
    with pytest.raises(Conflict, match="already"):
        do_propose_note(ben, rumour.pk, text="Again.", source_url=SOURCE)
    assert note.status == NoteStatus.NEEDS_MORE_RATINGS
    assert Note.objects.count() == 1


def test_rating_rules(ana, ben, rumour, make_member):
    cy = make_member("cy")
    note = do_propose_note(ben, rumour.pk, text="Two weeks.", source_url=SOURCE)
    with pytest.raises(NotAllowed, match="your own note"):
        do_rate_note(ben, note.pk, "helpful")
    with pytest.raises(InvalidInput, match="Choose one of"):
        do_rate_note(cy, note.pk, "great")
    with pytest.raises(NotFound):
        do_rate_note(cy, 999999, "helpful")
    do_rate_note(cy, note.pk, "helpful")
    do_rate_note(cy, note.pk, "not_helpful")  # changing one's mind
    assert list(NoteRating.objects.values_list("value", flat=True)) == ["not_helpful"]
    assert [n.pk for n in notes_to_rate(ana)] == [note.pk]  # the post's author may rate
    assert list(notes_to_rate(cy)) == []  # already rated
    seen = notes_on(cy, rumour)
    assert seen.shown == [] and seen.others[0].my_rating == "not_helpful"
    assert notes_on(None, rumour).others == []  # visitors see only shown notes


def _camps(make_member, size):
    left = [make_member(f"left{i}") for i in range(size)]
    right = [make_member(f"right{i}") for i in range(size)]
    return left, right


def test_only_notes_both_camps_find_helpful_are_shown(make_member, ana):
    """Two camps who disagree: partisan notes (liked by one camp, disliked by the other)
    stay hidden however many ratings they get; a note both find helpful is shown."""
    left, right = _camps(make_member, 8)
    writer = make_member("writer")
    posts = [do_create_post(ana, text=f"Claim {i}", audience=Audience.PUBLIC) for i in range(6)]
    kinds = ["bridging", "bridging", "left", "left", "right", "right"]
    notes = [
        do_propose_note(writer, post.pk, text=f"Context for {kind}", source_url=SOURCE)
        for post, kind in zip(posts, kinds, strict=True)
    ]
    for note, kind in zip(notes, kinds, strict=True):
        for camp, members in (("left", left), ("right", right)):
            for member in members:
                value = "helpful" if kind in ("bridging", camp) else "not_helpful"
                NoteRating.objects.create(note=note, rater=member, value=value)
    run = score_notes()
    assert run["notes"] == 6 and run["ratings"] == 6 * 16 and run["raters"] == 16
    statuses = {n.text: n.status for n in Note.objects.all()}
    assert statuses["Context for bridging"] == NoteStatus.HELPFUL, statuses
    assert statuses["Context for left"] != NoteStatus.HELPFUL
    assert statuses["Context for right"] != NoteStatus.HELPFUL
    shown = shown_notes(posts)
    assert sorted(shown) == sorted(p.pk for p in posts[:2])
    # Scoring again keeps the answer (and hysteresis keeps shown notes shown).
    score_notes()
    assert {n.text: n.status for n in Note.objects.all()} == statuses


def test_a_note_with_few_ratings_is_not_shown(make_member, ana, rumour):
    raters = [make_member(f"r{i}") for i in range(4)]
    writer = make_member("writer")
    note = do_propose_note(writer, rumour.pk, text="Two weeks.", source_url=SOURCE)
    others = [do_create_post(ana, text=f"p{i}", audience=Audience.PUBLIC) for i in range(3)]
    more = [do_propose_note(writer, p.pk, text="ctx", source_url=SOURCE) for p in others]
    for rater in raters:
        for target in [note, *more]:
            NoteRating.objects.create(note=target, rater=rater, value="helpful")
    score_notes()
    note.refresh_from_db()
    assert note.ratings_counted == 4 and note.status == NoteStatus.NEEDS_MORE_RATINGS


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections
def test_ratings_queue_one_background_run(make_member, rumour):
    from django_tasks_db.models import DBTaskResult

    writer, rater, other = make_member("writer"), make_member("rater"), make_member("other")
    note = do_propose_note(writer, rumour.pk, text="Two weeks.", source_url=SOURCE)
    do_rate_note(rater, note.pk, "helpful")
    do_rate_note(other, note.pk, "helpful")
    queued = DBTaskResult.objects.filter(task_path="porch.notes.tasks.score_notes_task")
    assert queued.count() == 1  # the second rating rides on the waiting run
    assert queued.get().run_after is not None
    queued.update(run_after=timezone.now())  # due now, not in a minute
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    result = queued.get()
    assert result.status == "SUCCESSFUL", result.traceback
    assert result.return_value["ratings"] == 2
    note.refresh_from_db()
    assert note.scored_at is not None and note.ratings_counted == 0  # raters need 3 ratings
