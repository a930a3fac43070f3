"""Blocks, mutes and keyword filters."""

from ninja import Router, Status

from porch.accounts.services import access_member, member_named
from porch.graph import services as graph
from porch.safety import filters

from .rendering import member_ref
from .schemas import BlocksOut, FilterIn, FilterOut, RowId, Username, errors

router = Router(tags=["blocks and mutes"])


@router.get("/blocks", response={200: BlocksOut, **errors(401)})
def blocks(request):
    """The members you blocked (most recent first) and muted (by name)."""
    return {
        "blocked": [member_ref(m) for m in graph.blocked_members(request.auth)],
        "muted": [member_ref(m) for m in graph.muted_members(request.auth)],
    }


@router.post("/members/{username}/block", response={204: None, **errors(400, 401, 404, 409)})
def block(request, username: Username):
    """Block a member: friendship, requests and follows end both ways, neither of you
    sees the other anywhere, and they are not told."""
    graph.do_block(request.auth, access_member(request.auth, username))
    return Status(204, None)


@router.delete("/members/{username}/block", response={204: None, **errors(400, 401, 404)})
def unblock(request, username: Username):
    """Lift a block (nothing it ended comes back)."""
    graph.do_unblock(request.auth, member_named(username))
    return Status(204, None)


@router.post("/members/{username}/mute", response={204: None, **errors(400, 401, 404, 409)})
def mute(request, username: Username):
    """Mute a member: their posts leave your home feed and their notifications stop.
    They are not told, and you still see them in threads and on their profile."""
    graph.do_mute(request.auth, access_member(request.auth, username))
    return Status(204, None)


@router.delete("/members/{username}/mute", response={204: None, **errors(400, 401, 404)})
def unmute(request, username: Username):
    graph.do_unmute(request.auth, member_named(username))
    return Status(204, None)


def _filter_json(f) -> dict:
    return {
        "id": f.pk,
        "phrase": f.phrase,
        "action": f.action,
        "expires_at": f.expires_at,
        "created_at": f.created_at,
    }


@router.get("/filters", response={200: list[FilterOut], **errors(401)})
def list_filters(request):
    """Your keyword filters that have not expired, by phrase."""
    return [_filter_json(f) for f in filters.active_filters(request.auth)]


@router.post("/filters", response={201: FilterOut, **errors(400, 401, 409)})
def add_filter(request, payload: FilterIn):
    """Hide (action hide) or put behind a warning (warn) every post and reply containing
    a word or phrase, whole words, any case; optionally for a number of days."""
    made = filters.do_add_filter(
        request.auth,
        phrase=payload.phrase,
        action=payload.action,
        expires_in_days=payload.expires_in_days,
    )
    return Status(201, _filter_json(made))


@router.delete("/filters/{filter_id}", response={204: None, **errors(400, 401, 404)})
def remove_filter(request, filter_id: RowId):
    filters.do_remove_filter(request.auth, filter_id)
    return Status(204, None)
