"""The block rule, asked by every surface: a block works both ways."""

from __future__ import annotations

from django.db.models import Q

from porch.id_lists import among

from .models import Block


def is_blocked_between(a, b) -> bool:
    """Whether either of ``a`` and ``b`` blocked the other."""
    return Block.objects.filter(
        Q(blocker_id=a.pk, blocked_id=b.pk) | Q(blocker_id=b.pk, blocked_id=a.pk)
    ).exists()


def blocked_either_way(member, field: str) -> Q:
    """A Q matching rows whose ``field`` (a member id) is someone ``member`` blocked or
    someone who blocked ``member``.

    The people are read once (``blocked_ids``: once per GET request, which the
    visibility rule reads too) and written into the SQL as a list: two subqueries
    cost Django more to build and compile than the read."""
    return among(field, blocked_ids(member))


def blocked_ids(member) -> frozenset[int]:
    """Everyone ``member`` blocked or who blocked ``member``, for rules that are built
    once per request (read once per GET request: ``graph.reads``)."""
    from .reads import blocked_ids as read

    return read(member)
