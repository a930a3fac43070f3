"""Friends and friend requests."""

from ninja import Router, Status

from porch import limits
from porch.accounts.services import access_member
from porch.graph import services as graph

from .rendering import member_ref
from .schemas import (
    FriendRequestResult,
    FriendRequestsOut,
    FriendsOut,
    Username,
    UsernameIn,
    errors,
)

router = Router(tags=["friends"])


@router.get("/friends", response={200: FriendsOut, **errors(401)})
def friends(request):
    """Your friends, and the members you follow, by name."""
    return {
        "friends": [member_ref(m) for m in graph.friends_of(request.auth)],
        "following": [member_ref(m) for m in graph.followees_of(request.auth)],
    }


@router.delete("/friends/{username}", response={204: None, **errors(400, 401, 404)})
def unfriend(request, username: Username):
    """End a friendship (both ways); each of you leaves the other's circles."""
    graph.do_unfriend(request.auth, access_member(request.auth, username))
    return Status(204, None)


@router.get("/friend-requests", response={200: FriendRequestsOut, **errors(401)})
def friend_requests(request):
    """Requests others sent you (incoming) and you sent them (outgoing), newest first."""
    return {
        "incoming": [
            {"member": member_ref(r.from_member), "created_at": r.created_at}
            for r in graph.incoming_requests(request.auth)
        ],
        "outgoing": [
            {"member": member_ref(r.to_member), "created_at": r.created_at}
            for r in graph.outgoing_requests(request.auth)
        ],
    }


@router.post(
    "/friend-requests",
    response={201: FriendRequestResult, **errors(400, 401, 404, 409, 429)},
)
def send_friend_request(request, payload: UsernameIn):
    """Ask a member to be friends. If they had already asked you, you are now friends."""
    other = access_member(request.auth, payload.username)
    limits.check("friend_request", request, member=request.auth)
    return Status(201, {"status": graph.do_send_friend_request(request.auth, other)})


@router.post("/friend-requests/{username}/accept", response={204: None, **errors(400, 401, 404)})
def accept_friend_request(request, username: Username):
    graph.do_accept_friend_request(request.auth, access_member(request.auth, username))
    return Status(204, None)


@router.post("/friend-requests/{username}/decline", response={204: None, **errors(400, 401, 404)})
def decline_friend_request(request, username: Username):
    """Decline quietly: the sender is not told."""
    graph.do_decline_friend_request(request.auth, access_member(request.auth, username))
    return Status(204, None)


@router.delete("/friend-requests/{username}", response={204: None, **errors(400, 401, 404)})
def cancel_friend_request(request, username: Username):
    """Withdraw a request you sent."""
    graph.do_cancel_friend_request(request.auth, access_member(request.auth, username))
    return Status(204, None)
