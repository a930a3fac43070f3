"""Keyset pagination over (created_at, id), newest first.

A cursor is the opaque string ``"<microseconds>.<id>"`` of the last row a page showed;
the next page starts strictly after it, so new rows never shift or repeat a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Q, QuerySet

from porch.errors import InvalidInput
from porch.id_lists import BIGGEST_ID

PAGE_SIZE_LIMIT = 100


@dataclass(frozen=True)
class Cursor:
    created_at: datetime
    pk: int

    @classmethod
    def parse(cls, raw: str | None) -> Cursor | None:
        if not raw:
            return None
        try:
            micros, pk = raw.split(".", 1)
            created_at = datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC)
            pk = int(pk)
        except (ValueError, OverflowError, OSError):
            raise InvalidInput("That page cursor is not valid.", field="cursor") from None
        if not -BIGGEST_ID <= pk <= BIGGEST_ID:
            raise InvalidInput("That page cursor is not valid.", field="cursor")
        return cls(created_at=created_at, pk=pk)

    @classmethod
    def of(cls, row) -> Cursor:
        return cls(created_at=row.created_at, pk=row.pk)

    def __str__(self) -> str:
        micros = int(self.created_at.timestamp()) * 1_000_000 + self.created_at.microsecond
        return f"{micros}.{self.pk}"


@dataclass
class Page:
    items: list
    next_cursor: str | None


def check_limit(limit: int) -> None:
    if not 1 <= limit <= PAGE_SIZE_LIMIT:
        raise InvalidInput(f"Ask for 1 to {PAGE_SIZE_LIMIT} items.", field="limit")


def older_than(created_at: datetime, pk: int) -> Q:
    """Rows after the cursor's row, newest first: before its moment, or at its moment
    with a smaller id. Written with the moment as a bound of its own, which the database
    reads as a range of the (author, created_at) index; written as the plain OR, SQLite
    read both halves as separate index searches and sorted everything older than the
    cursor (a feed's second page: 9.75 ms instead of 0.63)."""
    return Q(created_at__lte=created_at) & (Q(created_at__lt=created_at) | Q(pk__lt=pk))


def page_of(rows: list, limit: int) -> Page:
    """A page from ``limit + 1`` rows read newest first (the one more says whether
    another page follows)."""
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next_cursor=str(Cursor.of(rows[-1])) if more and rows else None)


def newest_after(rows: QuerySet, after_at: datetime | None, after_pk: int | None, size: int):
    """``rows`` newest first, after a cursor's moment and id (None: from the newest), at
    most ``size`` of them: what a page reads (``page_after``; in a compiled query's
    build, with ``compiled_page``)."""
    if after_at is not None:
        rows = rows.filter(older_than(after_at, after_pk))
    return rows.order_by("-created_at", "-pk")[:size]


def page_after(queryset: QuerySet, cursor: Cursor | None, limit: int) -> Page:
    """One page of ``queryset`` (newest first) after ``cursor``."""
    check_limit(limit)
    after_at, after_pk = (cursor.created_at, cursor.pk) if cursor else (None, None)
    return page_of(list(newest_after(queryset, after_at, after_pk, limit + 1)), limit)


def compiled_page(query, cursor: Cursor | None, limit: int, **inputs) -> Page:
    """One page read by ``query``, a ``porch.compiled.CompiledQuery`` whose build ends in
    ``newest_after`` with its inputs ``after_at`` and ``after_pk`` and its shape's
    ``size``; ``inputs``: the others."""
    check_limit(limit)
    rows = query.rows(
        {"size": limit + 1},
        **inputs,
        after_at=cursor.created_at if cursor else None,
        after_pk=cursor.pk if cursor else None,
    )
    return page_of(rows, limit)
