"""Load ``porch.demo.community`` into the database through the domain services.

Members, friendships, follows, circles, posts, replies, edits, deletions and reactions
are all made by the same ``do_*`` functions members use, so the demo obeys every rule.
The one thing the services cannot do is the past: they stamp everything "now". To
spread a week of life over a week, this module (and only this module) moves
timestamps back with queryset updates after each write: fabricated history for a
demo, never something the product does.

Deterministic: one ``random.Random(seed)`` decides every choice, in a fixed order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import combinations

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from porch.accounts.models import Invite, Member, SignupMode, SiteSettings
from porch.accounts.services import (
    check_password,
    check_username,
    do_create_admin,
    do_create_invite,
    do_update_profile,
)
from porch.feed.services import do_mark_feed_seen, feed_posts
from porch.graph.models import Circle, Follow, FriendRequest, Friendship
from porch.graph.services import (
    do_accept_friend_request,
    do_add_to_circle,
    do_create_circle,
    do_follow,
    do_send_friend_request,
)
from porch.notifications.models import Notification, NotificationKind
from porch.posts.models import Post, PostEdit, Reaction
from porch.posts.services import do_create_post, do_delete_post, do_edit_post, do_react, do_reply
from porch.posts.visibility import visible_roots
from porch.trust.services import compute_trust

from . import community
from .community import PUBLIC, Ago, At, Reply, Scene

# How many posts each member's last visit had shown them (scrolling a few pages).
SEEN_ON_LAST_VISIT = 60
# The usual mix of reactions, most common first.
USUAL_MOODS = ("heart", "heart", "thumbs_up", "thumbs_up", "laugh", "wow", "pray")


@dataclass
class LoadSummary:
    """What the load added, for the command's closing message."""

    members: int
    friendships: int
    pending_requests: int
    follows: int
    circles: int
    posts: int
    replies: int
    reactions: int
    edited: int
    deleted: int
    invite_code: str


def load(*, seed: int = community.SEED, now: datetime | None = None) -> LoadSummary:
    """Create the demo community in one transaction: all of it, or nothing."""
    loader = _Loader(random.Random(seed), now or timezone.now())
    with transaction.atomic():
        return loader.run()


def required_friendships() -> set[tuple[str, str]]:
    """Pairs the scenes need as friends: circle members and their owner, and whoever
    replies to a post shared with friends, friends of friends or circles and its author."""
    pairs: set[tuple[str, str]] = set()
    for owner, circles in community.CIRCLES_BY_OWNER.items():
        for members in circles.values():
            pairs.update(_pair(owner, member) for member in members)
    for scene in community.SCENES:
        if scene.audience == PUBLIC:
            continue
        for author in _reply_authors(scene.replies):
            if author != scene.author:
                pairs.add(_pair(scene.author, author))
    return pairs


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _reply_authors(replies: tuple[Reply, ...]):
    for item in replies:
        yield item.author
        yield from _reply_authors(item.replies)


class _Loader:
    def __init__(self, rng: random.Random, now: datetime):
        self.rng = rng
        self.now = now
        self.members: dict[str, Member] = {}
        self.circles: dict[tuple[str, str], Circle] = {}
        self.pairs: list[tuple[str, str]] = []
        self.played: list[tuple[Scene, Post, list[Post]]] = []
        self.reaction_count = 0
        self.visible_roots: dict[int, set[int]] = {}

    # --- The whole load, in order ------------------------------------------------------
    def run(self) -> LoadSummary:
        invite = self.create_members()
        self.make_friends()
        self.follow()
        self.make_circles()
        # In the order written, not by time: the time of day must not change what the
        # random choices fall on.
        for scene in community.SCENES:
            self.play(scene)
        self.react()
        self.backdate_notifications()
        self.mark_feeds_seen()
        compute_trust()  # ready now, not a minute after the server starts
        return LoadSummary(
            members=len(self.members),
            friendships=len(self.pairs),
            pending_requests=len(community.PENDING_REQUESTS),
            follows=len(community.FOLLOWS),
            circles=len(self.circles),
            posts=len(self.played),
            replies=sum(len(replies) for _, _, replies in self.played),
            reactions=self.reaction_count,
            edited=sum(1 for scene, _, _ in self.played if scene.edit),
            deleted=sum(1 for scene, _, _ in self.played if scene.delete_after is not None),
            invite_code=invite.code,
        )

    # --- Time ------------------------------------------------------------------------
    def when(self, moment: At | Ago) -> datetime:
        if isinstance(moment, Ago):
            return self.now - timedelta(minutes=moment.minutes)
        midnight = timezone.localtime(self.now).replace(hour=0, minute=0, second=0, microsecond=0)
        hours, minutes = (int(part) for part in moment.time.split(":"))
        return midnight - timedelta(days=moment.days) + timedelta(hours=hours, minutes=minutes)

    def after(self, start: datetime, minutes: float) -> datetime:
        """``minutes`` after ``start``, but never in the future and never before ``start``."""
        latest = self.now - timedelta(seconds=30)
        moment = min(start + timedelta(minutes=minutes), latest)
        return max(moment, start + timedelta(seconds=1))

    def days_ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    # --- People ------------------------------------------------------------------------
    def create_members(self) -> Invite:
        # Hashing a password with argon2 takes about a tenth of a second on purpose.
        # Hashing the same demo password 41 times would make `porch demo` slow for
        # nothing, so it is hashed once (for the admin) and that hash is given to
        # every demo member: they all log in with the same published password anyway.
        admin = community.ADMIN
        host = do_create_admin(username=admin.username, password=community.DEMO_PASSWORD)
        do_update_profile(
            host, display_name=admin.display_name, bio=admin.bio, is_public_profile=False
        )
        self.members[host.username] = host
        for person in community.PEOPLE:
            username = check_username(person.username)
            check_password(community.DEMO_PASSWORD, Member(username=username))
            member = Member.objects.create_user(
                username=username, password=None, display_name=person.display_name
            )
            do_update_profile(
                member,
                display_name=person.display_name,
                bio=person.bio,
                is_public_profile=person.public,
            )
            self.members[username] = member
        for person in (admin, *community.PEOPLE):
            member = self.members[person.username]
            joined = self.days_ago(person.joined_days_ago + self.rng.random())
            Member.objects.filter(pk=member.pk).update(password=host.password, date_joined=joined)
            member.password, member.date_joined = host.password, joined

        site = SiteSettings.current()
        site.signup_mode = SignupMode.INVITE
        site.save(update_fields=["signup_mode"])
        return do_create_invite(host, max_uses=10, days=14)

    def joined_days(self, *usernames: str) -> float:
        return min(
            (self.now - self.members[u].date_joined).total_seconds() / 86400 for u in usernames
        )

    def make_friends(self) -> None:
        required = required_friendships()
        pairs: set[tuple[str, str]] = set(required)
        for group in community.GROUPS:
            for a, b in combinations(group.members, 2):
                # Draw for every pair, required or not, so the sequence never shifts.
                if self.rng.random() < group.density:
                    pairs.add(_pair(a, b))
        pairs.update(_pair(a, b) for a, b in community.EXTRA_FRIENDSHIPS)
        self.pairs = sorted(pairs)
        for a, b in self.pairs:
            do_send_friend_request(self.members[a], self.members[b])
            do_accept_friend_request(self.members[b], self.members[a])
            since = self.days_ago(self.rng.uniform(0.5, max(1.0, self.joined_days(a, b) - 0.5)))
            Friendship.objects.filter(
                Q(member=self.members[a], friend=self.members[b])
                | Q(member=self.members[b], friend=self.members[a])
            ).update(created_at=since)
        for sender, recipient in community.PENDING_REQUESTS:
            do_send_friend_request(self.members[sender], self.members[recipient])
            FriendRequest.objects.filter(
                from_member=self.members[sender], to_member=self.members[recipient]
            ).update(created_at=self.days_ago(self.rng.uniform(0.2, 1.5)))

    def follow(self) -> None:
        for follower, followee in community.FOLLOWS:
            do_follow(self.members[follower], self.members[followee])
            since = self.days_ago(
                self.rng.uniform(1, max(2.0, self.joined_days(follower, followee)))
            )
            Follow.objects.filter(
                follower=self.members[follower], followee=self.members[followee]
            ).update(created_at=since)

    def make_circles(self) -> None:
        for owner, circles in community.CIRCLES_BY_OWNER.items():
            for name, members in circles.items():
                circle = do_create_circle(self.members[owner], name)
                for username in members:
                    do_add_to_circle(self.members[owner], circle, self.members[username])
                self.circles[(owner, name)] = circle

    # --- A week of posts ---------------------------------------------------------------
    def stamp(self, post: Post, moment: datetime) -> None:
        Post.objects.filter(pk=post.pk).update(created_at=moment)
        post.created_at = moment

    def play(self, scene: Scene) -> None:
        author = self.members[scene.author]
        moment = self.when(scene.when) + timedelta(seconds=self.rng.randint(0, 59))
        post = do_create_post(
            author,
            text=scene.text,
            audience=scene.audience,
            circle_ids=[self.circles[(scene.author, name)].pk for name in scene.circles],
        )
        self.stamp(post, moment)
        replies: list[Post] = []
        self.answer(post, scene.replies, replies)
        if scene.edit is not None:
            do_edit_post(author, post, text=scene.edit.text)
            edited = self.after(post.created_at, scene.edit.after)
            Post.objects.filter(pk=post.pk).update(edited_at=edited)
            PostEdit.objects.filter(post=post).update(replaced_at=edited)
        if scene.delete_after is not None:
            do_delete_post(author, post)
            deleted = self.after(post.created_at, scene.delete_after)
            Post.objects.filter(pk=post.pk).update(deleted_at=deleted)
        self.played.append((scene, post, replies))

    def answer(self, parent: Post, replies: tuple[Reply, ...], out: list[Post]) -> None:
        for item in replies:
            moment = self.after(parent.created_at, item.after + self.rng.random())
            # The demo's replies are written by us: no nudge.
            post = do_reply(self.members[item.author], parent, text=item.text, confirmed=True)
            self.stamp(post, moment)
            out.append(post)
            self.answer(post, item.replies, out)

    def react(self) -> None:
        """Friends and followers react to what they can see; a few replies get one too."""
        for scene, post, replies in self.played:
            if scene.delete_after is not None:
                continue
            author = self.members[scene.author]
            audience = Member.objects.filter(
                Q(pk__in=Friendship.objects.filter(member=author).values("friend_id"))
                | Q(pk__in=Follow.objects.filter(followee=author).values("follower_id"))
            ).order_by("username")
            watchers = [member for member in audience if post.pk in self.visible(member)]
            most = min(scene.max_reactions, len(watchers))
            fewest = 0 if most <= 2 else 1
            moods = scene.moods or USUAL_MOODS
            for member in self.rng.sample(watchers, self.rng.randint(fewest, most)):
                self.add_reaction(member, post, self.rng.choice(moods))
            talkers = sorted({scene.author, *(r.author.username for r in replies)})
            for item in replies:
                if self.rng.random() < 0.1:
                    others = [u for u in talkers if u != item.author.username]
                    member = self.members[self.rng.choice(others)]
                    self.add_reaction(
                        member, item, self.rng.choice(("heart", "laugh", "thumbs_up"))
                    )

    def visible(self, member: Member) -> set[int]:
        """The top-level posts ``member`` may see, asked once per member (asking
        ``can_see`` for every candidate reaction would be a query each)."""
        if member.pk not in self.visible_roots:
            self.visible_roots[member.pk] = set(visible_roots(member).values_list("pk", flat=True))
        return self.visible_roots[member.pk]

    def add_reaction(self, member: Member, post: Post, kind: str) -> None:
        reaction = do_react(member, post, kind)
        # Within ten hours of the post, and before now for a post only minutes old.
        age = (self.now - post.created_at).total_seconds() / 60
        moment = self.after(post.created_at, self.rng.uniform(0.1, 0.9) * min(600, age))
        Reaction.objects.filter(pk=reaction.pk).update(created_at=moment)
        self.reaction_count += 1

    # --- Loose ends --------------------------------------------------------------------
    def backdate_notifications(self) -> None:
        """Give each notification the time of what it is about, and mark the old ones read."""
        mine = Notification.objects.filter(recipient__in=list(self.members.values()))
        mine.filter(kind__in=[NotificationKind.REPLY, NotificationKind.MENTION]).update(
            created_at=Subquery(Post.objects.filter(pk=OuterRef("post_id")).values("created_at"))
        )
        mine.filter(kind=NotificationKind.REACTION).update(
            created_at=Subquery(
                Reaction.objects.filter(
                    post_id=OuterRef("post_id"), member_id=OuterRef("actor_id")
                ).values("created_at")
            )
        )
        # A friendship's two notifications (the request, the acceptance) date from it.
        friendship = Friendship.objects.filter(
            member_id=OuterRef("recipient_id"), friend_id=OuterRef("actor_id")
        )
        mine.filter(
            Exists(friendship),
            kind__in=[NotificationKind.FRIEND_REQUEST, NotificationKind.FRIEND_ACCEPTED],
        ).update(created_at=Subquery(friendship.values("created_at")[:1]))
        for sender, recipient in community.PENDING_REQUESTS:
            request = FriendRequest.objects.get(
                from_member=self.members[sender], to_member=self.members[recipient]
            )
            mine.filter(
                kind=NotificationKind.FRIEND_REQUEST,
                recipient=self.members[recipient],
                actor=self.members[sender],
            ).update(created_at=request.created_at)
        mine.filter(created_at__lt=self.now - timedelta(hours=36)).update(read_at=self.now)

    def mark_feeds_seen(self) -> None:
        """Each member last looked at their feed some hours ago and read what it showed
        then, so the newest posts are "new", the older ones sink in conversation order,
        and the "You're all caught up" marker sits between them."""
        for username in sorted(self.members):
            member = self.members[username]
            hours = 16 if username == community.MARKER_USERNAME else self.rng.uniform(6, 40)
            seen = feed_posts(member).filter(created_at__lte=self.now - timedelta(hours=hours))
            do_mark_feed_seen(member, list(seen.order_by("-created_at")[:SEEN_ON_LAST_VISIT]))
