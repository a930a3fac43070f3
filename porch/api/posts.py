"""Posts, replies, threads, reactions and edit history.

Which posts a caller may see is decided by ``porch.posts.services`` (``access_post``,
``thread``) on top of the one visibility rule; a post the caller may not see and a post
that does not exist give the same 404.
"""

from django.utils import timezone
from ninja import Router, Status

from porch import limits
from porch.errors import InvalidInput
from porch.posts import services as posts
from porch.trust.services import thread_with_folds

from .auth import VISITOR_AUTH, VISITOR_SECURITY
from .rendering import (
    member_ref,
    post_json,
    posts_json,
    with_reply_count,
    without_filtered_out,
)
from .schemas import (
    HistoryOut,
    IdempotencyKey,
    PostId,
    PostIn,
    PostOut,
    PostPatchIn,
    ReactionIn,
    ReactionsDetailOut,
    ReactionsOut,
    ReplyIn,
    ThreadOut,
    errors,
)

router = Router(tags=["posts"])


def _created(request, viewer, post, started):
    """201 for a new post, shown as written (no replies or reactions yet); 200 when an
    Idempotency-Key replayed an earlier one, shown as it is now."""
    new = post.created_at >= started
    return Status(201 if new else 200, post_json(request, viewer, post, new=new))


@router.post(
    "/posts",
    response={201: PostOut, 200: PostOut, **errors(400, 401, 403, 429)},
    exclude_unset=True,
)
def create_post(request, payload: PostIn, idempotency_key: IdempotencyKey = None):
    """Publish a post to an audience: only_me, circles (with `circles`), friends,
    friends_of_friends or public."""
    started = timezone.now()
    limits.check("post", request, member=request.auth)
    post = posts.do_create_post(
        request.auth,
        text=payload.text,
        audience=payload.audience,
        circle_ids=payload.circles,
        idempotency_key=idempotency_key,
        reply_policy=payload.reply_policy,
    )
    return _created(request, request.auth, post, started)


@router.get(
    "/posts/{post_id}",
    auth=VISITOR_AUTH,
    openapi_extra=VISITOR_SECURITY,
    response={200: PostOut, **errors(400, 401, 404)},
    exclude_unset=True,
)
def get_post(request, post_id: PostId):
    """One post or reply, if you may see it (logged-out visitors: public posts only)."""
    post = posts.access_post(request.auth, post_id)
    return post_json(request, request.auth, post)


@router.patch(
    "/posts/{post_id}",
    response={200: PostOut, **errors(400, 401, 403, 404, 409)},
    exclude_unset=True,
)
def edit_post(request, post_id: PostId, payload: PostPatchIn):
    """Change your post's text (the earlier version is kept in its history) and/or, on
    a first post, who may reply."""
    if payload.text is None and payload.reply_policy is None:
        raise InvalidInput("Send text, reply_policy or both.", field="text")
    post = posts.access_own_post(request.auth, post_id)
    if payload.reply_policy is not None:
        post = posts.do_set_reply_policy(request.auth, post, payload.reply_policy)
    if payload.text is not None:
        post = posts.do_edit_post(request.auth, post, text=payload.text)
    return post_json(request, request.auth, post)


@router.post("/posts/{post_id}/hide", response={200: PostOut, **errors(400, 401, 403, 404)})
def hide_reply(request, post_id: PostId):
    """Hide a reply in a thread you started: only its author (who sees it is hidden)
    and you still see it."""
    reply = posts.access_post(request.auth, post_id)
    return post_json(request, request.auth, posts.do_hide_reply(request.auth, reply))


@router.delete("/posts/{post_id}/hide", response={200: PostOut, **errors(400, 401, 403, 404)})
def unhide_reply(request, post_id: PostId):
    reply = posts.access_post(request.auth, post_id)
    return post_json(request, request.auth, posts.do_unhide_reply(request.auth, reply))


@router.delete("/posts/{post_id}", response={204: None, **errors(400, 401, 403, 404)})
def delete_post(request, post_id: PostId):
    """Delete your post; replies to it stay, under a "deleted" marker."""
    post = posts.access_own_post(request.auth, post_id)
    limits.check("delete", request, member=request.auth)
    posts.do_delete_post(request.auth, post)
    return Status(204, None)


@router.get(
    "/posts/{post_id}/thread",
    auth=VISITOR_AUTH,
    openapi_extra=VISITOR_SECURITY,
    response={200: ThreadOut, **errors(400, 401, 404)},
    exclude_unset=True,
)
def get_thread(request, post_id: PostId):
    """A post's whole conversation: the first post and every reply, as a flat list in
    reading order with each reply's depth. A reply's id gives its thread."""
    viewer = request.auth
    opened = posts.read_thread(viewer, post_id)
    root = opened.root
    shown, folded = thread_with_folds(viewer, root, opened.replies)
    nodes = shown + folded
    items = posts_json(
        request,
        viewer,
        [with_reply_count(root, request.auth), *(node.post for node in nodes)],
        depths=[0, *(node.depth for node in nodes)],
    )
    root_item = items[0]
    del root_item["depth"]
    for item in items[1 : len(shown) + 1]:
        item["folded"] = False
    for item in items[len(shown) + 1 :]:
        item["folded"] = True
    return {"root": root_item, "replies": without_filtered_out(items[1:])}


@router.post(
    "/posts/{post_id}/replies",
    response={201: PostOut, 200: PostOut, **errors(400, 401, 403, 404, 409, 429)},
    exclude_unset=True,
)
def reply(request, post_id: PostId, payload: ReplyIn, idempotency_key: IdempotencyKey = None):
    """Reply to a post or a reply you can see. Honours Idempotency-Key like POST /posts."""
    started = timezone.now()
    parent = posts.access_post(request.auth, post_id)
    limits.check("reply", request, member=request.auth)
    answer = posts.do_reply(
        request.auth,
        parent,
        text=payload.text,
        idempotency_key=idempotency_key,
        confirmed=payload.confirmed,
    )
    return _created(request, request.auth, answer, started)


def _reactions(viewer, post) -> dict:
    summary = posts.reaction_summaries(viewer, [post])[post.pk]
    return {"mine": summary.mine, "counts": summary.counts, "total": summary.total}


@router.put("/posts/{post_id}/reaction", response={200: ReactionsOut, **errors(400, 401, 404)})
def react(request, post_id: PostId, payload: ReactionIn):
    """Set your reaction (one per post; a new kind replaces the old)."""
    post = posts.access_post(request.auth, post_id)
    posts.do_react(request.auth, post, payload.kind)
    return _reactions(request.auth, post)


@router.delete("/posts/{post_id}/reaction", response={200: ReactionsOut, **errors(400, 401, 404)})
def unreact(request, post_id: PostId):
    """Take your reaction back (no error if you had none)."""
    post = posts.access_post(request.auth, post_id)
    posts.do_unreact(request.auth, post)
    return _reactions(request.auth, post)


@router.get(
    "/posts/{post_id}/reactions", response={200: ReactionsDetailOut, **errors(400, 401, 403, 404)}
)
def reactions(request, post_id: PostId):
    """Who reacted how: for the post's author only."""
    post = posts.access_post(request.auth, post_id)
    detail = posts.reactions_detail(request.auth, post)
    return {
        "mine": detail.mine,
        "counts": detail.counts,
        "total": detail.total,
        "who": [{"member": member_ref(member), "kind": kind} for member, kind in detail.who],
    }


@router.get(
    "/posts/{post_id}/history",
    auth=VISITOR_AUTH,
    openapi_extra=VISITOR_SECURITY,
    response={200: HistoryOut, **errors(400, 401, 404)},
)
def history(request, post_id: PostId):
    """Earlier versions of an edited post, newest first, for anyone who may see it."""
    post = posts.access_post(request.auth, post_id)
    edits = posts.edit_history(request.auth, post)
    return {
        "items": [
            {
                "text": edit.text,
                "html": edit.html,
                "written_at": edit.written_at,
                "replaced_at": edit.replaced_at,
            }
            for edit in edits
        ]
    }
