"""Lists of ids written into SQL as one literal: ``author_id__in=IdList(friends)``.

Porch's rules read a member's friends, blocks and feed authors once and then test
columns against those lists (see ``posts.visibility``). Given a plain Python list,
Django prepares, converts and binds every element separately, in every place the list
appears: for a member with a hundred friends that was most of the time it took to build
a feed query. The ids are integers, so they can be written as SQL literals safely and
once; ``int()`` refuses anything else.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import BigIntegerField, Expression, Q

# Ids are 64-bit signed integers in every database Porch runs on.
BIGGEST_ID = 2**63 - 1


def is_id(value: int) -> bool:
    """Whether ``value`` can be a row's id (a larger number is no row, and the database
    driver refuses to send it)."""
    return 0 < value <= BIGGEST_ID


class IdList(Expression):
    """A parenthesised list of integer ids, for ``__in`` lookups. An empty list
    matches nothing (``IN (NULL)`` is never true)."""

    output_field = BigIntegerField()

    def __init__(self, ids: Iterable[int]):
        super().__init__()
        self.ids = tuple(sorted({int(pk) for pk in ids}))

    @property
    def sql(self) -> str:
        """The list as SQL text: every use writes it the same way (``porch.compiled``
        finds a list in a statement by this text)."""
        return "(" + (",".join(map(str, self.ids)) or "NULL") + ")"

    def as_sql(self, compiler, connection):
        return self.sql, []

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self):
        return iter(self.ids)


def among(field: str, ids: Iterable[int]) -> Q:
    """A Q: ``field`` is one of ``ids``. With no ids it is Django's own empty list,
    which matches nothing and whose negation (``exclude``, ``~``) matches everything;
    an empty ``IdList`` would be ``IN (NULL)``, whose negation matches nothing either."""
    listed = IdList(ids)
    return Q(**{f"{field}__in": listed if listed else ()})
