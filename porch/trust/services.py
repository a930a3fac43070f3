"""Personal trust: computing every member's score, and using it.

The score (``porch.trust.ranking``, explained in docs/algorithms/trust.md) is how much of
the trust of the community's trusted members — its moderators and admins, or its first
members while it has none — reaches a member along friendships and invites. Fake
accounts that befriend each other freely but are connected to real members by few
friendships get little of it.

Porch uses it in two places, never to rank anyone in a feed:

* a thread folds replies by people outside the viewer's network (not a friend, not a
  friend of a friend, not someone they follow, not the thread's author) whose trust is
  low: "2 replies from people you don't know — show";
* community-note raters count in proportion to their trust (``rater_weights``).

``compute_trust`` runs in the background (``tasks.compute_trust_task``), a minute after
friendships change; each run starts from the previous run's scores.
"""

from __future__ import annotations

import time

import numpy as np
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from porch.accounts.models import Member
from porch.background import request_run
from porch.graph.models import Follow, Friendship

from .models import TrustRun, TrustScore

RUN_DELAY_SECONDS = 60
# While there are no moderators or admins, trust starts from the first members to join.
FOUNDERS = 3


def request_trust_run() -> None:
    from .tasks import compute_trust_task

    request_run(compute_trust_task, delay_seconds=RUN_DELAY_SECONDS)


def seed_ids(ids: np.ndarray, connected: np.ndarray, staff: list[int]) -> list[int]:
    """The members trust starts from: the moderators and admins (``staff``) with at
    least one friendship or invite, else the first members to join who have one. (A seed
    with no connection would keep all the trust to itself.)"""
    linked = set(ids[connected].tolist())
    seeds = [pk for pk in staff if pk in linked]
    if not seeds:
        seeds = list(
            Member.objects.filter(pk__in=list(linked))
            .order_by("date_joined", "pk")
            .values_list("pk", flat=True)[:FOUNDERS]
        )
    return seeds


def _edges(index) -> tuple[np.ndarray, np.ndarray]:
    """Friendships (each stored both ways; one way is enough) and invites, as indices."""
    pairs = np.array(
        list(
            Friendship.objects.filter(member_id__lt=F("friend_id")).values_list(
                "member_id", "friend_id"
            )
        ),
        dtype=np.int64,
    ).reshape(-1, 2)
    invites = np.array(
        list(
            Member.objects.filter(is_active=True, invited_by__is_active=True).values_list(
                "pk", "invited_by_id"
            )
        ),
        dtype=np.int64,
    ).reshape(-1, 2)
    both = np.concatenate([pairs, invites])
    src, dst = index(both[:, 0]), index(both[:, 1])
    keep = (src >= 0) & (dst >= 0)
    return src[keep], dst[keep]


def compute_trust() -> dict:
    """Compute every active member's trust score and store it; returns the run's figures."""
    from porch.moderation.services import moderators

    from . import ranking

    started = time.perf_counter()
    ids = np.array(
        Member.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True),
        dtype=np.int64,
    )
    if len(ids) == 0:
        return {"members": 0}

    def index(values: np.ndarray) -> np.ndarray:
        at = np.searchsorted(ids, values)
        at = np.minimum(at, len(ids) - 1)
        return np.where(ids[at] == values, at, -1)

    src, dst = _edges(index)
    adj = ranking.build_graph(src, dst, len(ids))
    staff = [m.pk for m in moderators()]
    seeds = index(np.array(seed_ids(ids, ranking.degrees(adj) > 0, staff), dtype=np.int64))
    if len(seeds) == 0:
        return {"members": len(ids), "edges": 0, "seeds": 0}  # nobody is connected yet
    previous = dict(TrustScore.objects.values_list("member_id", "mass"))
    start = None
    if previous:
        start = np.array([previous.get(pk, 0.0) for pk in ids.tolist()], dtype=np.float64)
        if start.sum() <= 0:
            start = None
    result = ranking.trust_scores(adj, seeds, start=start)
    # Moderators and admins are trusted by their role, connected or not.
    staff_at = index(np.array(staff, dtype=np.int64))
    result.low[staff_at[staff_at >= 0]] = False
    now = timezone.now()
    rows = [
        TrustScore(
            member_id=pk,
            mass=float(result.mass[i]),
            score=float(result.scores[i]),
            low=bool(result.low[i]),
            computed_at=now,
        )
        for i, pk in enumerate(ids.tolist())
    ]
    with transaction.atomic():
        TrustScore.objects.exclude(member_id__in=ids.tolist()).delete()
        TrustScore.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["member"],
            update_fields=["mass", "score", "low", "computed_at"],
        )
        run = TrustRun.objects.create(
            members=len(ids),
            edges=int(adj.nnz // 2),
            seeds=len(seeds),
            iterations=result.iterations,
            seconds=round(time.perf_counter() - started, 4),
            warm_start=start is not None,
            low=int(np.count_nonzero(result.low)),
        )
    return {
        "members": run.members,
        "edges": run.edges,
        "seeds": run.seeds,
        "iterations": run.iterations,
        "seconds": run.seconds,
        "low": run.low,
        "warm_start": run.warm_start,
    }


# --- Using the scores -----------------------------------------------------------------
def rater_weights(member_ids: list[int]) -> np.ndarray:
    """Each member's say as a community-note rater, 0 to 1: their trust score relative
    to a typical member's, capped at 1. Members not scored yet (no run since they
    joined) count fully; members scored low count for nothing."""
    scored = {
        pk: 0.0 if low else min(1.0, max(0.0, score))
        for pk, score, low in TrustScore.objects.filter(member_id__in=member_ids).values_list(
            "member_id", "score", "low"
        )
    }
    return np.array([scored.get(pk, 1.0) for pk in member_ids], dtype=float)


def network_ids(viewer) -> set[int]:
    """The viewer, their friends, their friends' friends and whom they follow."""
    if not (viewer and viewer.is_authenticated):
        return set()
    friends = Friendship.objects.filter(member_id=viewer.pk).values("friend_id")
    ids = set(
        Friendship.objects.filter(Q(member_id=viewer.pk) | Q(member_id__in=friends)).values_list(
            "friend_id", flat=True
        )
    )
    ids |= set(Follow.objects.filter(follower_id=viewer.pk).values_list("followee_id", flat=True))
    ids.add(viewer.pk)
    return ids


def folded_authors(viewer, root, author_ids: set[int]) -> set[int]:
    """Which of these authors' replies ``viewer`` sees folded in ``root``'s thread:
    people outside the viewer's network whose trust is low. (One query when none of
    the authors has low trust, the usual case.)"""
    candidates = set(author_ids) - {root.author_id}
    if viewer and viewer.is_authenticated:
        candidates.discard(viewer.pk)
    if not candidates:
        return set()
    low = set(
        TrustScore.objects.filter(member_id__in=candidates, low=True).values_list(
            "member_id", flat=True
        )
    )
    return low - network_ids(viewer) if low else set()


def split_folded(viewer, root, nodes: list) -> tuple[list, list]:
    """The thread's tree (``posts.services.thread``) without the branches started by
    folded authors, and those branches, in reading order."""
    authors: set[int] = set()

    def collect(branch):
        for node in branch:
            authors.add(node.post.author_id)
            collect(node.children)

    collect(nodes)
    fold = folded_authors(viewer, root, authors)
    if not fold:
        return nodes, []
    folded: list = []

    def keep(branch):
        kept = []
        for node in branch:
            if node.post.author_id in fold:
                folded.append(node)
            else:
                node.children = keep(node.children)
                kept.append(node)
        return kept

    return keep(nodes), folded


def thread_with_folds(viewer, root, replies=None) -> tuple[list, list]:
    """``root``'s replies as ``viewer`` reads them, in reading order: those shown, and
    the folded branches (each re-indented from depth 0), shown on request. ``replies``:
    as ``posts.services.thread`` takes them."""
    from porch.posts.services import flatten, thread

    kept, folded = split_folded(viewer, root, thread(viewer, root, replies))

    def shift(node, depth):
        node.depth = depth
        for child in node.children:
            shift(child, depth + 1)

    for node in folded:
        shift(node, 0)
    return flatten(kept), flatten(folded)
