"""Community notes: propose, rate, read."""

from ninja import Router, Status

from porch.notes import services as notes
from porch.posts.services import access_post

from .auth import VISITOR_AUTH, VISITOR_SECURITY
from .rendering import note_json
from .schemas import NoteIn, NoteOut, NoteRatingIn, PostId, RowId, errors

router = Router(tags=["community notes"])


@router.get(
    "/posts/{post_id}/notes",
    auth=VISITOR_AUTH,
    openapi_extra=VISITOR_SECURITY,
    response={200: list[NoteOut], **errors(400, 401, 404)},
)
def post_notes(request, post_id: PostId):
    """The notes on a public post: the shown ones (status helpful) for everyone; members
    also get those waiting for ratings or rated not helpful, to rate them."""
    viewer = request.auth
    post = access_post(viewer, post_id)
    found = notes.notes_on(viewer, post)
    return [note_json(n) for n in found.shown + found.others]


@router.post("/posts/{post_id}/notes", response={201: NoteOut, **errors(400, 401, 403, 404, 409)})
def propose(request, post_id: PostId, payload: NoteIn):
    """Propose context for a public post you can see (not your own): one note per post."""
    note = notes.do_propose_note(
        request.auth, post_id, text=payload.text, source_url=payload.source_url
    )
    note.mine = True
    return Status(201, note_json(note))


@router.get("/notes/to-rate", response={200: list[NoteOut], **errors(401)})
def to_rate(request):
    """Notes waiting for ratings on public posts you can see, that you have not rated."""
    return [note_json(n) for n in notes.notes_to_rate(request.auth)[:50]]


@router.delete("/notes/{note_id}", response={204: None, **errors(401, 403, 404)})
def delete(request, note_id: RowId):
    notes.do_delete_note(request.auth, note_id)
    return Status(204, None)


@router.put("/notes/{note_id}/rating", response={204: None, **errors(400, 401, 403, 404)})
def rate(request, note_id: RowId, payload: NoteRatingIn):
    """Rate a note helpful, somewhat_helpful or not_helpful (again to change it)."""
    notes.do_rate_note(request.auth, note_id, payload.value)
    return Status(204, None)


@router.delete("/notes/{note_id}/rating", response={204: None, **errors(401, 404)})
def unrate(request, note_id: RowId):
    notes.do_unrate_note(request.auth, note_id)
    return Status(204, None)
