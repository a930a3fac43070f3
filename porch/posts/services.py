"""Posting, replying, editing, deleting and reacting, and reading threads.

Every read goes through ``posts.visibility``; an invisible post and a missing post
raise the same ``NotFound``, so ids cannot be probed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from porch.accounts.models import Member, SiteSettings
from porch.compiled import ID, IDS, CompiledQuery
from porch.errors import (
    Conflict,
    InvalidInput,
    NeedsConfirmation,
    NotAllowed,
    NotFound,
    check_no_nul,
)
from porch.feed.cursors import Cursor, Page, page_after
from porch.graph.blocks import blocked_either_way, blocked_ids
from porch.graph.models import Circle
from porch.graph.services import are_friends, friend_ids
from porch.id_lists import IdList, among, is_id
from porch.notifications.models import NotificationKind
from porch.notifications.services import notify
from porch.safety.hostility import looks_hostile

from . import markdown
from .models import (
    POST_CIRCLES_LIMIT,
    POST_MAX_LENGTH,
    Audience,
    Post,
    PostEdit,
    Reaction,
    ReactionKind,
    ReplyPolicy,
)
from .visibility import (
    RULE_INPUTS,
    can_see,
    limited_replies,
    mark_checked,
    posts_visible_to,
    rule_inputs,
    visible_roots,
)

IDEMPOTENCY_KEY_MAX_LENGTH = 64


# --- Checks -------------------------------------------------------------------------
def check_text(text: str) -> str:
    text = check_no_nul((text or "").strip(), "text")
    if not text:
        raise InvalidInput("Write something first.", field="text")
    if len(text) > POST_MAX_LENGTH:
        raise InvalidInput(
            f"Posts can be at most {POST_MAX_LENGTH:,} characters (this one has {len(text):,}).",
            field="text",
        )
    return text


def check_audience(author, audience: str, circle_ids) -> tuple[str, list[Circle]]:
    if audience not in Audience.values:
        raise InvalidInput(
            "Choose who can see this: " + ", ".join(Audience.values) + ".", field="audience"
        )
    circle_ids = list(circle_ids or [])
    if audience != Audience.CIRCLES:
        if circle_ids:
            raise InvalidInput(
                "Circles can only be chosen with the circles audience.", field="circles"
            )
        return audience, []
    if not circle_ids:
        raise InvalidInput("Choose at least one circle.", field="circles")
    if len(circle_ids) > POST_CIRCLES_LIMIT:
        raise InvalidInput(f"Choose at most {POST_CIRCLES_LIMIT} circles.", field="circles")
    try:
        wanted = {int(pk) for pk in circle_ids}
    except (TypeError, ValueError):
        raise InvalidInput("Unknown circle.", field="circles") from None
    if not all(map(is_id, wanted)):
        raise InvalidInput("Unknown circle.", field="circles")
    circles = list(Circle.objects.filter(owner=author, pk__in=wanted))
    if len(circles) != len(wanted):
        # Someone else's circle looks exactly like a circle that does not exist.
        raise InvalidInput("Unknown circle.", field="circles")
    return audience, circles


def check_idempotency_key(key: str | None) -> str | None:
    if key is None or key == "":
        return None
    check_no_nul(key, "idempotency_key")
    if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise InvalidInput(
            f"Idempotency keys can be at most {IDEMPOTENCY_KEY_MAX_LENGTH} characters.",
            field="idempotency_key",
        )
    return key


def _is_member(username: str) -> bool:
    return Member.objects.filter(username__iexact=username, is_active=True).exists()


def _render(text: str) -> str:
    return markdown.render(text, _is_member)


# --- Access ---------------------------------------------------------------------------
# What ``access_post`` reads along with a post: what replying and reacting need. A
# caller that only shows the post (a thread page) asks for its author alone: the root
# and two more members are some fifty columns for Django to compile and convert.
FOR_WRITES = ("author", "root", "root__author", "parent__author")
FOR_READING = ("author",)


def _post_id(post_id) -> int:
    """A post id as asked (a path's text, a form's field): anything but an integer is no
    such post."""
    try:
        post_id = int(post_id)
    except (TypeError, ValueError):
        raise NotFound("No such post.") from None
    if not is_id(post_id):
        raise NotFound("No such post.")
    return post_id


def _post_row(viewer_id, friends, blocked, post_id, *, related: tuple[str, ...]):
    return (
        posts_visible_to(viewer_id, friends, blocked)
        .filter(pk=post_id, author__is_active=True)
        .select_related(*related)
        .order_by()[:1]
    )


# Asked before every reply, reaction and thread: built and compiled once per shape.
_POST = CompiledQuery(_post_row, **RULE_INPUTS, post_id=ID)


def access_post(
    viewer, post_id, *, allow_deleted: bool = False, related: tuple[str, ...] = FOR_WRITES
) -> Post:
    """The post ``post_id`` if ``viewer`` may see it; ``NotFound`` otherwise."""
    post_id = _post_id(post_id)
    found = _POST.rows({"related": related}, **rule_inputs(viewer), post_id=post_id)
    post = found[0] if found else None
    if post is None or (post.is_deleted and not allow_deleted):
        raise NotFound("No such post.")
    return mark_checked(post, viewer)


def access_own_post(member, post_id) -> Post:
    post = access_post(member, post_id)
    if post.author_id != member.pk:
        raise NotAllowed("Only the author can change this post.")
    return post


# --- Writes ---------------------------------------------------------------------------
def _existing_for_key(author, key: str | None) -> Post | None:
    if key is None:
        return None
    return Post.objects.filter(author=author, idempotency_key=key).first()


def _create_once(author, key: str | None, write: Callable[[], Post]) -> Post:
    """Run ``write`` in a transaction unless ``key`` already made a post; a concurrent
    retry that loses the race to the unique index gets the winner's post."""
    existing = _existing_for_key(author, key)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return write()
    except IntegrityError:
        existing = _existing_for_key(author, key)
        if existing is None:
            raise
        return existing


def _notify_mentions(post: Post, text: str, already: set[int]) -> None:
    names = markdown.find_mentions(text)
    if not names:
        return
    members = Member.objects.filter(username__in=names, is_active=True).exclude(pk__in=already)
    for member in members:
        if can_see(member, post):
            notify(member, post.author, NotificationKind.MENTION, post)


def check_reply_policy(policy: str | None) -> str:
    if policy is None or policy == "":
        return ReplyPolicy.EVERYONE
    if policy not in ReplyPolicy.values:
        raise InvalidInput(
            f"Choose who can reply: {', '.join(ReplyPolicy.values)}.", field="reply_policy"
        )
    return policy


def reply_refusal(member, root: Post) -> str | None:
    """Why ``member`` may not reply in ``root``'s thread under its reply policy, in
    words for them; None when they may. (Whether they may *see* it is asked first.)"""
    if not member.is_authenticated:
        return "Log in to reply."
    policy = root.reply_policy
    if member.pk == root.author_id or policy == ReplyPolicy.EVERYONE:
        return None
    name = root.author.name
    if policy == ReplyPolicy.NOBODY:
        return f"{name} turned off replies to this post."
    if policy == ReplyPolicy.MENTIONED:
        if member.username.lower() in {m.lower() for m in markdown.find_mentions(root.text)}:
            return None
        return f"Only the people {name} mentioned can reply to this post."
    friends = friend_ids(root.author)
    if member.pk in friends:
        return None
    if policy == ReplyPolicy.FRIENDS:
        return f"Only {name}'s friends can reply to this post."
    if friend_ids(member) & friends:
        return None
    return f"Only {name}'s friends and their friends can reply to this post."


def do_set_reply_policy(member, post: Post, policy: str) -> Post:
    """The author changes who may reply (replies already written stay)."""
    if post.author_id != member.pk:
        raise NotAllowed("Only the author can change who may reply.")
    if post.root_id is not None:
        raise InvalidInput("A reply follows its thread's rule; change it on the first post.")
    post.reply_policy = check_reply_policy(policy)
    post.save(update_fields=["reply_policy"])
    return post


def _thread_author_of(member, reply: Post) -> Post:
    if reply.root_id is None:
        raise InvalidInput("Only replies can be hidden; delete your post instead.")
    if reply.root.author_id != member.pk:
        raise NotAllowed("Only the author of the first post can hide replies to it.")
    if reply.author_id == member.pk:
        raise InvalidInput("That is your own reply; delete it instead.")
    return reply


def do_hide_reply(member, reply: Post) -> Post:
    """Hide a reply in your own thread: for everyone but its author (who sees that you
    hid it) and you."""
    _thread_author_of(member, reply)
    if reply.hidden_at is None:
        reply.hidden_at = timezone.now()
        reply.save(update_fields=["hidden_at"])
    return reply


def do_unhide_reply(member, reply: Post) -> Post:
    _thread_author_of(member, reply)
    if reply.hidden_at is not None:
        reply.hidden_at = None
        reply.save(update_fields=["hidden_at"])
    return reply


def do_create_post(
    author,
    *,
    text: str,
    audience: str,
    circle_ids=None,
    idempotency_key: str | None = None,
    reply_policy: str | None = None,
) -> Post:
    """Publish a post to ``audience``; a retried call with the same key returns the first post."""
    text = check_text(text)
    audience, circles = check_audience(author, audience, circle_ids)
    key = check_idempotency_key(idempotency_key)
    policy = check_reply_policy(reply_policy)

    def write() -> Post:
        post = Post.objects.create(
            author=author,
            reply_policy=policy,
            audience=audience,
            text=text,
            html=_render(text),
            created_at=timezone.now(),
            idempotency_key=key,
        )
        if circles:
            post.circles.set(circles)
        _notify_mentions(post, text, already=set())
        return post

    return _create_once(author, key, write)


HOSTILE_NUDGE = (
    "This reply may come across as hostile. Would you like to change it, or post it anyway?"
)


def do_reply(
    author,
    parent: Post,
    *,
    text: str,
    idempotency_key: str | None = None,
    confirmed: bool = False,
) -> Post:
    """Reply to ``parent`` (a post or a reply) that ``author`` can see. A reply that
    looks hostile is refused with ``NeedsConfirmation`` unless ``confirmed``."""
    text = check_text(text)
    key = check_idempotency_key(idempotency_key)
    if not can_see(author, parent):
        raise NotFound("No such post.")
    if parent.is_deleted:
        raise Conflict("This post was deleted; it cannot be replied to.")
    root = parent.root if parent.root_id else parent
    refusal = reply_refusal(author, root)
    if refusal:
        raise NotAllowed(refusal)
    if not confirmed and not _existing_for_key(author, key) and looks_hostile(text):
        raise NeedsConfirmation(HOSTILE_NUDGE, field="text")

    def write() -> Post:
        reply = Post.objects.create(
            author=author,
            parent=parent,
            root=root,
            # Replies carry their root's audience for display only; visibility is
            # always decided by the root itself.
            audience=root.audience,
            text=text,
            html=_render(text),
            created_at=timezone.now(),
            idempotency_key=key,
        )
        told = {author.pk}
        for recipient in (parent.author, root.author):
            if recipient.pk not in told:
                notify(recipient, author, NotificationKind.REPLY, reply)
                told.add(recipient.pk)
        _notify_mentions(reply, text, already=told)
        return reply

    return _create_once(author, key, write)


def do_edit_post(member, post: Post, *, text: str) -> Post:
    """Change a post's text, keeping the previous version in its edit history."""
    if post.author_id != member.pk:
        raise NotAllowed("Only the author can edit this post.")
    if post.is_deleted:
        raise Conflict("This post was deleted.")
    text = check_text(text)
    if text == post.text:
        return post
    now = timezone.now()
    with transaction.atomic():
        PostEdit.objects.create(
            post=post,
            text=post.text,
            html=post.html,
            written_at=post.edited_at or post.created_at,
            replaced_at=now,
        )
        old_mentions = set(markdown.find_mentions(post.text))
        post.text = text
        post.html = _render(text)
        post.edited_at = now
        post.save(update_fields=["text", "html", "edited_at"])
        # Only people newly mentioned by the edit are told.
        new_names = [n for n in markdown.find_mentions(text) if n not in old_mentions]
        if new_names:
            _notify_mentions(post, " ".join(f"@{n}" for n in new_names), already={member.pk})
    return post


def do_delete_post(member, post: Post) -> None:
    """Delete a post: its words, history and reactions go; replies to it stay,
    under a "deleted" marker, so others' words in the thread are not lost."""
    if post.author_id != member.pk:
        raise NotAllowed("Only the author can delete this post.")
    erase_post(post)


def erase_post(post: Post, *, by_moderator: bool = False) -> None:
    """Blank a post (its words, history and reactions) and mark it deleted: for its
    author's delete, or a moderator's removal (which the thread then says)."""
    if post.is_deleted:
        return
    with transaction.atomic():
        post.edits.all().delete()
        post.reactions.all().delete()
        post.text = ""
        post.html = ""
        post.deleted_at = timezone.now()
        post.removed_by_moderator = by_moderator
        post.save(update_fields=["text", "html", "deleted_at", "removed_by_moderator"])


def do_react(member, post: Post, kind: str) -> Reaction:
    """Set ``member``'s reaction to ``post`` (one per member; reacting again changes it)."""
    if kind not in ReactionKind.values:
        raise InvalidInput("Choose one of: " + ", ".join(ReactionKind.values) + ".", field="kind")
    if post.is_deleted or not can_see(member, post):
        raise NotFound("No such post.")
    with transaction.atomic():
        reaction, created = Reaction.objects.update_or_create(
            post=post, member=member, defaults={"kind": kind}
        )
        # Only friends' reactions notify: a reaction from a stranger is not a conversation.
        if created and are_friends(post.author, member):
            notify(post.author, member, NotificationKind.REACTION, post)
    return reaction


def do_unreact(member, post: Post) -> None:
    Reaction.objects.filter(post=post, member=member).delete()


# --- Reads ----------------------------------------------------------------------------
def with_reply_counts(posts: QuerySet[Post], viewer=None) -> QuerySet[Post]:
    """Annotate ``reply_count``: the replies ``thread()`` would show ``viewer`` (not
    deleted, by active members, none by someone blocked either way). Only for roots
    already filtered through the visibility rule."""
    return annotate_reply_counts(posts, **rule_inputs(viewer))


def annotate_reply_counts(posts: QuerySet[Post], viewer_id, friends, blocked) -> QuerySet[Post]:
    """``with_reply_counts`` from the visibility rule's inputs (``rule_inputs``)."""
    counted = Q(
        thread_posts__deleted_at__isnull=True,
        thread_posts__author__is_active=True,
        thread_posts__hidden_at__isnull=True,
    ) & ~limited_replies(viewer_id, friends, "thread_posts__")
    if viewer_id is not None:
        counted &= ~among("thread_posts__author_id", blocked)
    return posts.annotate(reply_count=Count("thread_posts", filter=counted))


def post_circles(viewer, posts: list[Post]) -> dict[int, list[Circle]]:
    """The circles each of ``viewer``'s own top-level posts was shared with (one query).

    Circles are private to their owner: other people's posts get nothing here."""
    own = [p for p in posts if p.author_id == viewer.pk and p.root_id is None]
    circles: dict[int, list[Circle]] = {p.pk: [] for p in own}
    # Only a post shared with circles has any (its audience is set once, when written).
    shared = IdList(p.pk for p in own if p.audience == Audience.CIRCLES)
    if shared:
        for link in _CIRCLE_LINKS.rows(posts=shared):
            circles[link.post_id].append(link.circle)
    return circles


def _circle_links(posts):
    return (
        Post.circles.through.objects.filter(post_id__in=posts)
        .select_related("circle")
        .order_by("circle__name", "circle_id")
    )


def _my_reactions(viewer_id, posts):
    return Reaction.objects.filter(member_id=viewer_id, post_id__in=posts).values_list(
        "post_id", "kind"
    )


def _reaction_counts(posts, blocked):
    return (
        Reaction.objects.filter(post_id__in=posts, member__is_active=True)
        .exclude(among("member_id", blocked))
        .values_list("post_id", "kind")
        .annotate(n=Count("pk"))
    )


# Read for every page of posts: built and compiled once per shape (decisions.md, 36).
_CIRCLE_LINKS = CompiledQuery(_circle_links, posts=IDS)
_MY_REACTIONS = CompiledQuery(_my_reactions, viewer_id=ID, posts=IDS)
_REACTION_COUNTS = CompiledQuery(_reaction_counts, posts=IDS, blocked=IDS)


@dataclass
class ReactionSummary:
    """What a viewer may know of a post's reactions.

    The author (or everyone, if the host turned counts on) sees ``counts``; only the
    author sees ``who``. Everyone sees their own reaction.
    """

    mine: str | None
    counts: dict[str, int] | None = None
    who: list[tuple[Member, str]] | None = None
    total: int | None = None
    kinds: list[tuple[str, str]] = field(default_factory=lambda: list(ReactionKind.choices))


def reaction_summaries(
    viewer, posts: list[Post], *, new: bool = False
) -> dict[int, ReactionSummary]:
    """Reaction summaries for many posts in two queries. ``new``: the posts were written
    in this request and have no reactions yet, so nothing is read."""
    ids = [] if new else [p.pk for p in posts]
    mine: dict[int, str] = {}
    if viewer.is_authenticated and ids:
        mine = dict(_MY_REACTIONS.rows(viewer_id=viewer.pk, posts=IdList(ids)))
    show_all = SiteSettings.current().show_reaction_counts
    countable = [p.pk for p in posts if show_all or p.author_id == viewer.pk]
    counts: dict[int, Counter] = {pk: Counter() for pk in countable}
    if countable and not new:
        blocked = IdList(blocked_ids(viewer) if viewer.is_authenticated else ())
        for post_id, kind, n in _REACTION_COUNTS.rows(posts=IdList(countable), blocked=blocked):
            counts[post_id][kind] = n
    return {
        p.pk: ReactionSummary(
            mine=mine.get(p.pk),
            counts=dict(counts[p.pk]) if p.pk in counts else None,
            total=sum(counts[p.pk].values()) if p.pk in counts else None,
        )
        for p in posts
    }


def reactions_detail(viewer, post: Post) -> ReactionSummary:
    """The full list of who reacted how: for the post's author only."""
    if post.author_id != viewer.pk:
        raise NotAllowed("Only the author can see who reacted.")
    summary = reaction_summaries(viewer, [post])[post.pk]
    summary.who = [
        (r.member, r.kind)
        for r in Reaction.objects.filter(post=post, member__is_active=True)
        .exclude(blocked_either_way(viewer, "member_id"))
        .select_related("member")
        .order_by("-created_at")
    ]
    return summary


@dataclass
class ThreadNode:
    post: Post
    depth: int
    children: list[ThreadNode] = field(default_factory=list)


MAX_THREAD_POSTS = 1000


def _thread_rows(viewer_id, friends, blocked, post_id, *, with_post: bool, size: int):
    which = Q(pk=post_id) | Q(root_id=post_id) if with_post else Q(root_id=post_id)
    return (
        posts_visible_to(viewer_id, friends, blocked)
        .filter(which, author__is_active=True)
        .select_related("author")
        .order_by(F("root_id").asc(nulls_first=True), "created_at", "pk")[:size]
    )


# Built and compiled once per shape (decisions.md, 36).
_THREAD_ROWS = CompiledQuery(_thread_rows, **RULE_INPUTS, post_id=ID)


def _thread_posts(viewer, root_id: int, limit: int, *, with_root: bool = False) -> list[Post]:
    """Posts of the thread ``root_id`` starts that ``viewer`` may see, with their
    authors: its first post first (``with_root``), then the replies in the order they
    were written."""
    return _THREAD_ROWS.rows(
        {"with_post": with_root, "size": limit}, **rule_inputs(viewer), post_id=root_id
    )


@dataclass
class OpenedThread:
    """A thread opened from one of its posts (``read_thread``)."""

    # The post asked for, and its thread's first post (the same post if it is one).
    post: Post
    root: Post
    # The root's replies the viewer may see, in the order they were written (at most
    # ``MAX_THREAD_POSTS``): what ``thread`` arranges.
    replies: list[Post]


def read_thread(viewer, post_id) -> OpenedThread:
    """The thread ``post_id`` belongs to, as ``viewer`` may read it (deleted posts
    included: their answers still show); ``NotFound`` if they may not see the post.

    Asked from its first post, the post and its replies are one query (the rule decides
    every reply through that first post, so it is asked once per row as ever)."""
    post_id = _post_id(post_id)
    rows = _thread_posts(viewer, post_id, MAX_THREAD_POSTS + 1, with_root=True)
    if not rows or rows[0].pk != post_id:
        raise NotFound("No such post.")
    post = mark_checked(rows[0], viewer)
    if post.root_id is None:
        return OpenedThread(post, post, rows[1:])
    # A reply (no post has it as its ``root``): its thread's first post, then that
    # post's replies.
    root = access_post(viewer, post.root_id, allow_deleted=True, related=FOR_READING)
    return OpenedThread(post, root, _thread_posts(viewer, root.pk, MAX_THREAD_POSTS))


def thread(viewer, root: Post, replies: list[Post] | None = None) -> list[ThreadNode]:
    """The replies under ``root`` as a tree (oldest first within each branch);
    ``replies``: those ``read_thread`` read, else they are read here.

    Deleted replies appear only when someone answered them, as a "deleted" marker.

    When the whole thread was read (up to ``MAX_THREAD_POSTS`` replies), ``root`` gets
    its ``reply_count`` from it: the replies read through the rule, less the deleted
    and the hidden ones, which is what ``with_reply_counts`` counts (no second query).
    """
    if root.root_id is not None:
        raise InvalidInput("That is a reply; open its thread from the first post.")
    if replies is None:
        replies = _thread_posts(viewer, root.pk, MAX_THREAD_POSTS)
    if len(replies) < MAX_THREAD_POSTS:
        root.reply_count = sum(1 for p in replies if p.deleted_at is None and p.hidden_at is None)
    nodes = {p.pk: ThreadNode(post=p, depth=0) for p in replies}
    top: list[ThreadNode] = []
    for node in nodes.values():
        parent = nodes.get(node.post.parent_id)
        (parent.children if parent else top).append(node)

    def prune(branch: list[ThreadNode], depth: int) -> list[ThreadNode]:
        kept = []
        for node in branch:
            node.depth = depth
            node.children = prune(node.children, depth + 1)
            if not node.post.is_deleted or node.children:
                kept.append(node)
        return kept

    return prune(top, 0)


def flatten(nodes: list[ThreadNode]) -> list[ThreadNode]:
    out: list[ThreadNode] = []
    for node in nodes:
        out.append(node)
        out.extend(flatten(node.children))
    return out


def edit_history(viewer, post: Post) -> list[PostEdit]:
    """Earlier versions, for anyone who may see the post (checked again here)."""
    if not can_see(viewer, post):
        raise NotFound("No such post.")
    return list(post.edits.all())


def posts_by(viewer, author, cursor: str | None = None, limit: int = 20) -> Page:
    """The top-level posts by ``author`` that ``viewer`` may see, newest first."""
    queryset = with_reply_counts(
        visible_roots(viewer).filter(author=author, deleted_at__isnull=True), viewer
    ).select_related("author")
    return page_after(queryset, Cursor.parse(cursor), limit)
