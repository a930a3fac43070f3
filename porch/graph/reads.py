"""A member's friends, the people on either side of a block with them, whom they follow
and whom they muted, as every rule reads them: within a request that changes none of
them (a GET, see ``read_once``) all four in one statement, once per member; anywhere
else only the list asked for, afresh every time. One feed page used to read the
viewer's friends three times (whose posts, the visibility rule, the ranking's features)
and a thread twice."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections, router

from .models import Block, Follow, Friendship, Mute

# Per request: member id -> their four lists. None outside ``read_once``: always read.
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


FRIENDS, BLOCKED, FOLLOWEES, MUTED = range(4)
_ALL = (FRIENDS, BLOCKED, FOLLOWEES, MUTED)


def friend_ids(member) -> frozenset[int]:
    return _ids(member, FRIENDS)


def blocked_ids(member) -> frozenset[int]:
    """Everyone ``member`` blocked or who blocked ``member``."""
    return _ids(member, BLOCKED)


def followee_ids(member) -> frozenset[int]:
    """The members ``member`` follows."""
    return _ids(member, FOLLOWEES)


def muted_ids(member) -> frozenset[int]:
    """The members ``member`` muted."""
    return _ids(member, MUTED)


def _ids(member, kind: int) -> frozenset[int]:
    """Within ``read_once``, all four lists in one statement, once; outside it, only the
    list asked for (a write request asks for one or two, and reading a member's
    thousands of friends to learn whom they blocked would make posting cost more the
    more friends one has)."""
    remembered = _remembered.get()
    if remembered is None:
        return _read(member.pk, (kind,))[kind]
    if member.pk not in remembered:
        remembered[member.pk] = _read(member.pk, _ALL)
    return remembered[member.pk][kind]


def _read(member_id: int, kinds: tuple[int, ...]) -> tuple[frozenset[int], ...]:
    """Of the member's friends, the people on either side of a block with them, whom they
    follow and whom they muted, the ``kinds`` asked for, in one statement of index reads
    (the others empty): a page asks for two to four of them, and each ORM query cost
    Django more to build and compile than the database takes to answer it."""
    connection = connections[router.db_for_read(Friendship)]
    q = connection.ops.quote_name
    blocker, blocked = q("blocker_id"), q("blocked_id")
    reads = {  # what: (the other member, from, where, how many parameters); quoted names
        FRIENDS: (q("friend_id"), Friendship, f"{q('member_id')} = %s", 1),
        BLOCKED: (
            f"CASE WHEN {blocker} = %s THEN {blocked} ELSE {blocker} END",
            Block,
            f"{blocker} = %s OR {blocked} = %s",
            3,
        ),
        FOLLOWEES: (q("followee_id"), Follow, f"{q('follower_id')} = %s", 1),
        MUTED: (q("muted_id"), Mute, f"{q('muter_id')} = %s", 1),
    }
    sql = " UNION ALL ".join(
        f"SELECT {kind}, {reads[kind][0]} FROM {q(reads[kind][1]._meta.db_table)}"  # noqa: S608
        f" WHERE {reads[kind][2]}"
        for kind in kinds
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [member_id] * sum(reads[kind][3] for kind in kinds))
        rows = cursor.fetchall()
    found: tuple[set[int], ...] = (set(), set(), set(), set())
    for kind, other in rows:
        found[kind].add(other)
    return tuple(frozenset(ids) for ids in found)
