"""Proposing and rating community notes, and scoring them with the bridging model.

Notes belong to public first posts: context for something anyone may read, with a
source. Any member who can see the post, except its author, may propose one note on it
and rate others' notes (never their own). Authors and raters are not shown to anyone
else, and neither are rating counts: a note is shown, or it is not.

``score_notes`` reads every rating, weights each rater by their trust score
(``porch.trust``), fits ``porch.notes.scoring`` and stores each note's status; it runs in
the background (``porch.notes.tasks``) a minute after ratings change.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from porch.background import request_run
from porch.compiled import IDS, CompiledQuery
from porch.errors import Conflict, InvalidInput, NotAllowed, NotFound, check_text
from porch.id_lists import IdList
from porch.posts.models import Audience, Post
from porch.posts.services import access_post
from porch.posts.visibility import visible_roots

from . import scoring
from .models import (
    NOTE_TEXT_MAX_LENGTH,
    SOURCE_URL_MAX_LENGTH,
    Note,
    NoteRating,
    NoteStatus,
    RatingValue,
)

SCORING_DELAY_SECONDS = 60
NOTES_PER_POST_LIMIT = 20
_check_url = URLValidator(schemes=["http", "https"])


def _notable_post(viewer, post_id) -> Post:
    post = access_post(viewer, post_id)
    if post.root_id is not None or post.audience != Audience.PUBLIC:
        raise InvalidInput("Notes are for public posts (not replies or private posts).")
    return post


def _check_note(text: str | None, source_url: str | None) -> tuple[str, str]:
    text = check_text(
        text, "text", NOTE_TEXT_MAX_LENGTH, required="Write the context readers need."
    )
    source_url = (source_url or "").strip()
    try:
        if len(source_url) > SOURCE_URL_MAX_LENGTH:
            raise ValidationError("too long")
        _check_url(source_url)
    except ValidationError:
        raise InvalidInput(
            "Give the address (http:// or https://) of a source readers can check.",
            field="source_url",
        ) from None
    return text, source_url


def do_propose_note(member, post_id, *, text: str, source_url: str) -> Note:
    post = _notable_post(member, post_id)
    if post.author_id == member.pk:
        raise NotAllowed("You cannot add a note to your own post; edit the post instead.")
    text, source_url = _check_note(text, source_url)
    if Note.objects.filter(post=post).count() >= NOTES_PER_POST_LIMIT:
        raise Conflict("This post has as many notes as it can take; rate those instead.")
    try:
        with transaction.atomic():
            return Note.objects.create(post=post, author=member, text=text, source_url=source_url)
    except IntegrityError:
        raise Conflict("You already proposed a note on this post.") from None


def access_note(viewer, note_id) -> Note:
    """The note ``note_id`` if ``viewer`` may see its post; ``NotFound`` otherwise."""
    try:
        note = Note.objects.select_related("post").get(pk=int(note_id))
    except (Note.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound("No such note.") from None
    _notable_post(viewer, note.post_id)
    return note


def do_delete_note(member, note_id) -> Note:
    """Delete the member's note; returns it (its ``post_id`` says where it was)."""
    note = access_note(member, note_id)
    if note.author_id != member.pk:
        raise NotAllowed("Only the note's author can delete it.")
    note.delete()  # Django clears its id, not its post_id
    return note


def do_rate_note(member, note_id, value: str) -> NoteRating:
    if value not in RatingValue.values:
        raise InvalidInput("Choose one of: " + ", ".join(RatingValue.values) + ".", field="value")
    note = access_note(member, note_id)
    if note.author_id == member.pk:
        raise NotAllowed("You cannot rate your own note.")
    with transaction.atomic():
        rating, _ = NoteRating.objects.update_or_create(
            note=note, rater=member, defaults={"value": value}
        )
        request_run(_scoring_task(), delay_seconds=SCORING_DELAY_SECONDS)
    return rating


def do_unrate_note(member, note_id) -> None:
    note = access_note(member, note_id)
    with transaction.atomic():
        if NoteRating.objects.filter(note=note, rater=member).delete()[0]:
            request_run(_scoring_task(), delay_seconds=SCORING_DELAY_SECONDS)


def _scoring_task():
    from .tasks import score_notes_task

    return score_notes_task


# --- Reads ----------------------------------------------------------------------------
@dataclass
class PostNotes:
    shown: list[Note]  # for everyone
    others: list[Note]  # waiting for ratings or not helpful: members only, to rate
    can_propose: bool


def notes_on(viewer, post: Post) -> PostNotes:
    """The notes on a post ``viewer`` can already see, with the viewer's own rating as
    ``my_rating`` and ``mine`` on each."""
    if post.root_id is not None or post.audience != Audience.PUBLIC or post.is_deleted:
        return PostNotes([], [], False)
    notes = list(Note.objects.filter(post=post).order_by("-intercept", "created_at", "pk"))
    signed_in = bool(viewer and viewer.is_authenticated)
    mine = {}
    if signed_in:
        mine = dict(
            NoteRating.objects.filter(rater=viewer, note__post=post).values_list("note_id", "value")
        )
    for note in notes:
        note.my_rating = mine.get(note.pk)
        note.mine = signed_in and note.author_id == viewer.pk
    shown = [n for n in notes if n.is_shown]
    others = [n for n in notes if not n.is_shown] if signed_in else []
    can_propose = (
        signed_in
        and post.author_id != viewer.pk
        and not any(n.mine for n in notes)
        and len(notes) < NOTES_PER_POST_LIMIT
    )
    return PostNotes(shown, others, can_propose)


def shown_notes(posts: list[Post]) -> dict[int, Note]:
    """The note shown on each of these posts (the best-rated), by post id."""
    ids = [p.pk for p in posts if p.root_id is None and p.audience == Audience.PUBLIC]
    if not ids:
        return {}
    best: dict[int, Note] = {}
    for note in _HELPFUL_NOTES.rows(posts=IdList(ids)):
        best.setdefault(note.post_id, note)
    return best


def _helpful_notes(posts):
    return Note.objects.filter(post_id__in=posts, status=NoteStatus.HELPFUL).order_by(
        "-intercept", "pk"
    )


# Read for every page of posts: built and compiled once (decisions.md, 36).
_HELPFUL_NOTES = CompiledQuery(_helpful_notes, posts=IDS)


def notes_to_rate(viewer) -> QuerySet[Note]:
    """Notes on public posts the member can see that wait for ratings, not theirs and
    not rated by them yet: newest posts first."""
    return (
        Note.objects.filter(
            status=NoteStatus.NEEDS_MORE_RATINGS,
            post__in=visible_roots(viewer).filter(
                audience=Audience.PUBLIC, deleted_at__isnull=True
            ),
        )
        .exclude(author=viewer)
        .exclude(ratings__rater=viewer)
        .select_related("post", "post__author")
        .order_by("-post__created_at", "pk")
    )


# --- Scoring --------------------------------------------------------------------------
def score_notes() -> dict:
    """Fit the bridging model to every rating and store each note's status.

    Raters are weighted by trust (``porch.trust.services.rater_weights``): a member
    the community's trust does not reach counts for little. Returns what the run did.
    """
    from porch.trust.services import rater_weights

    started = time.perf_counter()
    rows = np.array(
        list(
            NoteRating.objects.filter(
                note__post__deleted_at__isnull=True, note__post__author__is_active=True
            ).values_list("note_id", "rater_id", "value")
        ),
        dtype=object,
    ).reshape(-1, 3)
    notes = list(Note.objects.only("pk", "status"))
    note_ids = np.array([n.pk for n in notes], dtype=np.int64)
    note_index = {pk: i for i, pk in enumerate(note_ids.tolist())}
    rater_ids = np.unique(rows[:, 1].astype(np.int64)) if len(rows) else np.array([], np.int64)
    rater_index = {pk: i for i, pk in enumerate(rater_ids.tolist())}
    raters = np.array([rater_index[r] for r in rows[:, 1]], dtype=np.int64)
    which = np.array([note_index[n] for n in rows[:, 0]], dtype=np.int64)
    values = np.array([scoring.RATING_VALUES[v] for v in rows[:, 2]], dtype=float)
    weights = rater_weights(rater_ids.tolist())[raters] if len(rows) else None
    fitted = scoring.fit(
        raters,
        which,
        values,
        n_raters=len(rater_ids),
        n_notes=len(notes),
        weights=weights,
    )
    previous = np.array([n.status for n in notes], dtype=object)
    statuses = fitted.statuses(previous=previous) if notes else []
    now = timezone.now()
    for i, note in enumerate(notes):
        note.status = str(statuses[i])
        note.intercept = float(fitted.note_intercepts[i])
        note.factor = float(fitted.note_factors[i])
        note.ratings_counted = int(fitted.note_ratings[i])
        note.scored_at = now
    with transaction.atomic():
        Note.objects.bulk_update(
            notes,
            ["status", "intercept", "factor", "ratings_counted", "scored_at"],
            batch_size=500,
        )
    return {
        "notes": len(notes),
        "ratings": len(rows),
        "raters": len(rater_ids),
        "shown": int(sum(1 for s in statuses if s == NoteStatus.HELPFUL)),
        "iterations": fitted.iterations,
        "seconds": round(time.perf_counter() - started, 3),
    }
