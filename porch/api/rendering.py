"""Turning domain objects into the API's JSON: posts, members, notifications.

Everything the viewer may know comes from the services (``reaction_summaries`` for
counts, the visibility rule for which posts reach this point); this module only shapes
what it is given, in a fixed number of queries per list.
"""

from datetime import datetime

from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from porch.notes.services import shown_notes
from porch.posts.models import Post
from porch.posts.services import (
    post_circles,
    reaction_summaries,
    reply_refusal,
    with_reply_counts,
)
from porch.safety.filters import apply_filters


class PreciseJSONEncoder(NinjaJSONEncoder):
    """Datetimes keep their microseconds (Django's encoder cuts them to milliseconds),
    so a client can send a post's ``created_at`` back (``POST /feed/seen``) exactly."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


class PorchJSONRenderer(JSONRenderer):
    encoder_class = PreciseJSONEncoder
    json_dumps_params = {"ensure_ascii": False}


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def member_ref(member) -> dict:
    return {"username": member.username, "display_name": member.name}


def member_url(request, member) -> str:
    return _absolute(request, f"/@{member.username}/")


def post_url(request, post: Post) -> str:
    if post.root_id:
        return _absolute(request, f"/posts/{post.root_id}/#post-{post.pk}")
    return _absolute(request, f"/posts/{post.pk}/")


def posts_json(
    request, viewer, posts: list[Post], *, depths: list[int] | None = None, new: bool = False
):
    """Posts as JSON dicts, with the viewer's view of their reactions.

    ``circles`` is added for the viewer's own top-level posts only; every other key is
    always present. Top-level posts must carry ``reply_count`` (``with_reply_counts``).
    ``new``: see ``post_json``.
    """
    apply_filters(viewer, posts)
    summaries = reaction_summaries(viewer, posts, new=new)
    notes = {} if new else shown_notes(posts)
    own_circles = post_circles(viewer, posts) if viewer.is_authenticated else {}
    roots = {post.pk: post for post in posts if post.root_id is None}
    refusals: dict[int, str | None] = {}

    def refusal(post: Post) -> str | None:
        root_id = post.root_id or post.pk
        if root_id not in refusals:
            root = roots.get(root_id) or post.root
            refusals[root_id] = reply_refusal(viewer, root)
        return refusals[root_id]

    items = []
    for index, post in enumerate(posts):
        summary = summaries[post.pk]
        item = {
            "id": post.pk,
            "author": member_ref(post.author),
            "text": post.text,
            "html": post.html,
            "audience": post.audience,
            "created_at": post.created_at,
            "edited_at": post.edited_at,
            "deleted": post.is_deleted,
            "parent_id": post.parent_id,
            "root_id": post.root_id,
            "reply_count": None if post.root_id else post.reply_count,
            "reactions": {"mine": summary.mine, "counts": summary.counts, "total": summary.total},
            "url": post_url(request, post),
            "reply_policy": None if post.root_id else post.reply_policy,
            "can_reply": not post.is_deleted and refusal(post) is None,
            "hidden": post.is_hidden,
            "note": note_json(notes[post.pk]) if post.pk in notes else None,
            "filtered": {"phrase": post.filtered.phrase, "action": post.filtered.action}
            if post.filtered
            else None,
        }
        if post.root_id is None and post.author_id == viewer.pk:
            item["circles"] = [{"id": c.pk, "name": c.name} for c in own_circles[post.pk]]
        if depths is not None:
            item["depth"] = depths[index]
        items.append(item)
    return items


def note_json(note) -> dict:
    return {
        "id": note.pk,
        "post_id": note.post_id,
        "text": note.text,
        "source_url": note.source_url,
        "status": note.status,
        "created_at": note.created_at,
        "mine": bool(getattr(note, "mine", False)),
        "my_rating": getattr(note, "my_rating", None),
    }


def without_filtered_out(items: list[dict]) -> list[dict]:
    """A list response leaves out what the viewer's filters hide (``filtered`` says
    which filter put the rest behind a warning)."""
    return [item for item in items if (item["filtered"] or {}).get("action") != "hide"]


def with_reply_count(post: Post, viewer=None) -> Post:
    """Give one top-level post (already fetched through ``access_post``) its reply count."""
    if post.root_id is None and not hasattr(post, "reply_count"):
        post.reply_count = (
            with_reply_counts(Post.objects.filter(pk=post.pk), viewer)
            .values_list("reply_count", flat=True)
            .get()
        )
    return post


def post_json(request, viewer, post: Post, *, new: bool = False) -> dict:
    """One post as JSON. ``new``: written in this request, so it has no replies,
    reactions or notes yet, and none is read (reading replies and reactions costs more
    the more friends the author has, and posting must not)."""
    if new:
        if post.root_id is None:
            post.reply_count = 0
        return posts_json(request, viewer, [post], new=True)[0]
    return posts_json(request, viewer, [with_reply_count(post, viewer)])[0]


def member_json(
    request,
    member,
    *,
    relationship: str | None,
    is_following: bool | None,
    is_muted: bool | None = None,
):
    return {
        "username": member.username,
        "display_name": member.name,
        "bio": member.bio,
        "is_public_profile": member.is_public_profile,
        "url": member_url(request, member),
        "relationship": relationship,
        "is_following": is_following,
        "is_muted": is_muted,
    }


def me_json(request, member) -> dict:
    return {
        "username": member.username,
        "display_name": member.display_name,
        "bio": member.bio,
        "is_public_profile": member.is_public_profile,
        "email": member.email,
        "url": member_url(request, member),
    }


def invite_json(request, invite) -> dict:
    return {
        "code": invite.code,
        "url": _absolute(request, f"/invite/{invite.code}/"),
        "max_uses": invite.max_uses,
        "uses": invite.uses,
        "expires_at": invite.expires_at,
        "revoked": invite.revoked,
        "is_usable": invite.is_usable,
        "created_at": invite.created_at,
    }


def notification_json(request, notification) -> dict:
    post = notification.post
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "message": f"{notification.actor.name} {notification.what}",
        "reason": notification.action.reason if notification.action_id else None,
        "actor": member_ref(notification.actor),
        "post": None
        if post is None
        else {"id": post.pk, "root_id": post.root_id, "url": post_url(request, post)},
        "created_at": notification.created_at,
        "read_at": notification.read_at,
    }
