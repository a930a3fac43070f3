"""A member's friends, the people on either side of a block with them, whom they follow
and whom they muted, as every rule reads them: from the database in one statement, and
within a request that changes none of them (a GET, see ``read_once``) only once per
member. One feed page used to read the viewer's friends three times (whose posts, the
visibility rule, the ranking's features) and a thread twice."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connections, router

from .models import Block, Follow, Friendship, Mute

# Per request: member id -> their graph. None outside ``read_once``: always read.
_remembered: ContextVar[dict | None] = ContextVar("porch_graph_reads", default=None)


@contextmanager
def read_once() -> Iterator[None]:
    """Within this block each member's friends, blocks, follows and mutes are read at
    most once. Only for work that changes none of them (``porch.web.middleware``: GET and
    HEAD requests); anything else reads afresh every time."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def friend_ids(member) -> frozenset[int]:
    return _graph(member).friends


def blocked_ids(member) -> frozenset[int]:
    """Everyone ``member`` blocked or who blocked ``member``."""
    return _graph(member).blocked


def followee_ids(member) -> frozenset[int]:
    """The members ``member`` follows."""
    return _graph(member).followees


def muted_ids(member) -> frozenset[int]:
    """The members ``member`` muted."""
    return _graph(member).muted


@dataclass(frozen=True, slots=True)
class _Graph:
    friends: frozenset[int]
    blocked: frozenset[int]
    followees: frozenset[int]
    muted: frozenset[int]


def _graph(member) -> _Graph:
    remembered = _remembered.get()
    if remembered is None:
        return _read(member.pk)
    if member.pk not in remembered:
        remembered[member.pk] = _read(member.pk)
    return remembered[member.pk]


def _read(member_id: int) -> _Graph:
    """The member's friends, the people on either side of a block with them, whom they
    follow and whom they muted, in one statement of four index reads: the feed asks for
    all four, every other page for the first two, and each ORM query cost Django more to
    build and compile than the database takes to answer it."""
    connection = connections[router.db_for_read(Friendship)]
    q = connection.ops.quote_name
    blocker, blocked = q("blocker_id"), q("blocked_id")
    reads = [  # (what it is, the other member, from, where): names only, quoted
        (0, q("friend_id"), Friendship, f"{q('member_id')} = %s"),
        (
            1,
            f"CASE WHEN {blocker} = %s THEN {blocked} ELSE {blocker} END",
            Block,
            f"{blocker} = %s OR {blocked} = %s",
        ),
        (2, q("followee_id"), Follow, f"{q('follower_id')} = %s"),
        (3, q("muted_id"), Mute, f"{q('muter_id')} = %s"),
    ]
    sql = " UNION ALL ".join(
        f"SELECT {kind}, {other} FROM {q(model._meta.db_table)} WHERE {where}"  # noqa: S608
        for kind, other, model, where in reads
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [member_id] * 6)
        rows = cursor.fetchall()
    kinds: tuple[set[int], ...] = (set(), set(), set(), set())
    for kind, other in rows:
        kinds[kind].add(other)
    return _Graph(*(frozenset(ids) for ids in kinds))
