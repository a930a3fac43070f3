"""``porch bench seed``: the bulk benchmark community obeys Porch's own rules."""

import json
import statistics
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from porch.accounts.models import Member
from porch.accounts.services import member_for_token
from porch.demo import seed as seeding
from porch.graph.models import CircleMember, Friendship
from porch.notifications.models import Notification
from porch.posts.models import Post
from porch.posts.visibility import can_see, visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(tmp_path):
    manifest = tmp_path / "manifest.json"
    call_command("bench", "seed", "--members", "120", "--seed", "3", "--manifest", str(manifest))
    return json.loads(manifest.read_text())


def test_friendships_are_mutual_clustered_and_heavy_tailed(seeded):
    pairs = set(Friendship.objects.values_list("member_id", "friend_id"))
    assert pairs and all((b, a) in pairs for a, b in pairs)
    assert not any(a == b for a, b in pairs)
    degrees = sorted(Counter(a for a, _ in pairs).values())
    assert max(degrees) >= 3 * statistics.median(degrees)


def test_probes_have_exactly_their_friend_counts(seeded):
    # 120 members: 10 and 100 friends; 1,000 and 5,000 are capped at 120 - 4 = 116.
    assert sorted(int(count) for count in seeded["probes"]) == [10, 100, 116]
    for count, probe in seeded["probes"].items():
        member = Member.objects.get(username=probe["username"])
        assert Friendship.objects.filter(member=member).count() == int(count)


def test_replies_come_from_people_who_can_see_the_post(seeded):
    replies = Post.objects.filter(root__isnull=False).select_related("author", "root", "parent")
    assert replies.count() > 0
    for reply in replies.order_by("?")[:150]:
        assert reply.root.root_id is None
        assert can_see(reply.author, reply.root)
        assert reply.parent.created_at <= reply.created_at
        assert reply.parent.root_id in (None, reply.root_id)


def test_circle_posts_go_to_the_authors_own_circles_of_friends(seeded):
    posts = Post.objects.filter(root__isnull=True, audience="circles").prefetch_related("circles")
    assert posts.exists()
    for post in posts[:50]:
        circles = list(post.circles.all())
        assert circles and all(circle.owner_id == post.author_id for circle in circles)
        members = CircleMember.objects.filter(circle__in=circles).values_list("member", flat=True)
        friends = set(
            Friendship.objects.filter(member_id=post.author_id).values_list("friend", flat=True)
        )
        assert set(members) <= friends


def test_everything_is_within_the_window_and_notifications_are_visible(seeded):
    now = timezone.now()
    assert not Post.objects.filter(created_at__gt=now).exists()
    assert not Post.objects.filter(created_at__lt=now - timedelta(days=30, minutes=1)).exists()
    for notification in Notification.objects.select_related("recipient").order_by("?")[:100]:
        assert notification.recipient_id != notification.actor_id
        assert visible_to(notification.recipient).filter(pk=notification.post_id).exists()


def test_manifest_tokens_act_as_their_members(seeded):
    for row in seeded["load_members"][:20]:
        member = member_for_token(row["token"])
        assert member is not None and member.username == row["username"]
        for post_id in row["threads"]:
            assert can_see(member, Post.objects.get(pk=post_id))
    assert seeded["counts"]["posts"] + seeded["counts"]["replies"] == Post.objects.count()


def test_the_same_seed_gives_the_same_community(tmp_path):
    first = seeding.seed(30, seed=9)
    texts = list(Post.objects.order_by("pk").values_list("author_id", "audience", "text"))
    Member.objects.all().delete()
    second = seeding.seed(30, seed=9)
    assert first.counts == second.counts
    assert list(Post.objects.order_by("pk").values_list("author_id", "audience", "text")) == texts


def test_seeding_refuses_a_database_with_members_and_bad_sizes(seeded):
    with pytest.raises(CommandError, match="needs an empty database"):
        call_command("bench", "seed", "--members", "10")
    with pytest.raises(CommandError, match="between 2 and"):
        call_command("bench", "seed", "--members", "1")
