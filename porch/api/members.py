"""Members' profiles and posts, and following public profiles."""

from ninja import Router, Status

from porch.accounts.services import access_member
from porch.graph import services as graph
from porch.posts.services import posts_by

from .auth import VISITOR_AUTH, VISITOR_SECURITY
from .rendering import member_json, posts_json, without_filtered_out
from .schemas import MemberOut, PageCursor, PageLimit, PostPage, Username, errors

router = Router(tags=["members"])


@router.get(
    "/members/{username}",
    auth=VISITOR_AUTH,
    openapi_extra=VISITOR_SECURITY,
    response={200: MemberOut, **errors(400, 401, 404)},
)
def get_member(request, username: Username):
    """A member's profile (logged-out visitors: public profiles only)."""
    viewer = request.auth
    member = access_member(viewer, username)
    if not viewer.is_authenticated:
        return member_json(request, member, relationship=None, is_following=None)
    return member_json(
        request,
        member,
        relationship=graph.relationship(viewer, member),
        is_following=graph.is_following(viewer, member),
        is_muted=graph.is_muting(viewer, member),
    )


@router.get(
    "/members/{username}/posts",
    auth=VISITOR_AUTH,
    openapi_extra=VISITOR_SECURITY,
    response={200: PostPage, **errors(400, 401, 404)},
    exclude_unset=True,
)
def member_posts(request, username: Username, cursor: PageCursor = None, limit: PageLimit = 20):
    """The member's posts you may see, newest first."""
    viewer = request.auth
    member = access_member(viewer, username)
    page = posts_by(viewer, member, cursor, limit)
    items = without_filtered_out(posts_json(request, viewer, page.items))
    return {"items": items, "next_cursor": page.next_cursor}


@router.post("/members/{username}/follow", response={204: None, **errors(400, 401, 403, 404, 409)})
def follow(request, username: Username):
    """Follow a member with a public profile: their public posts join your feed."""
    graph.do_follow(request.auth, access_member(request.auth, username))
    return Status(204, None)


@router.delete("/members/{username}/follow", response={204: None, **errors(400, 401, 404)})
def unfollow(request, username: Username):
    graph.do_unfollow(request.auth, access_member(request.auth, username))
    return Status(204, None)
