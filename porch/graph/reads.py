"""A member's friends and the people on either side of a block with them, as every rule
reads them: from the database, and within a request that changes neither (a GET, see
``read_once``) only once per member. One feed page used to read the viewer's friends
three times (whose posts, the visibility rule, the ranking's features) and a thread
twice."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Q

from .models import Block, Friendship

# Per request: (what, member id) -> ids. None outside ``read_once``: always read.
_remembered: ContextVar[dict | None] = ContextVar("porch_graph_reads", default=None)


@contextmanager
def read_once() -> Iterator[None]:
    """Within this block each member's friends and blocks are read at most once. Only
    for work that changes no friendship and no block (``porch.web.middleware``: GET and
    HEAD requests); anything else reads afresh every time."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def _once(what: str, member_id: int, read: Callable[[], frozenset[int]]) -> frozenset[int]:
    remembered = _remembered.get()
    if remembered is None:
        return read()
    key = (what, member_id)
    if key not in remembered:
        remembered[key] = read()
    return remembered[key]


def friend_ids(member) -> frozenset[int]:
    return _once(
        "friends",
        member.pk,
        lambda: frozenset(
            Friendship.objects.filter(member_id=member.pk).values_list("friend_id", flat=True)
        ),
    )


def blocked_ids(member) -> frozenset[int]:
    """Everyone ``member`` blocked or who blocked ``member`` (one query)."""

    def read() -> frozenset[int]:
        rows = Block.objects.filter(Q(blocker_id=member.pk) | Q(blocked_id=member.pk)).values_list(
            "blocker_id", "blocked_id"
        )
        return frozenset(blocked if blocker == member.pk else blocker for blocker, blocked in rows)

    return _once("blocked", member.pk, read)
