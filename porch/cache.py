"""The cache every worker process shares when there is no Redis (settings.CACHES), and
the rows Porch keeps in whichever cache is configured."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from diskcache import DjangoCache

T = TypeVar("T")


class SharedDiskCache(DjangoCache):
    """diskcache's Django cache, keeping its SQLite connections open for the thread's life.

    Django closes every cache when a request finishes; diskcache's ``close`` then drops
    its connections, and the next request opened them again: a tenth of a first feed
    page's time. Its connections are per thread and reopened after a fork, like Porch's
    database connections (``CONN_MAX_AGE=None``)."""

    def close(self, **kwargs):
        pass


# --- Rows read on most requests and rarely written ------------------------------------
# A member's feed settings and keyword filters, and the site's settings, were read from
# the database on nearly every page: a query each, most of whose cost is Django building
# it. They are kept in the shared cache instead, and forgotten by whatever writes them.

_MISSING = object()

# How long a kept row may live. Every write forgets it at once; this bounds the one
# race left: a read that began before a write committed, and kept what it read just
# after the write forgot it.
KEEP_SECONDS = 300


def kept(key: str, read: Callable[[], T], timeout: float = KEEP_SECONDS) -> T:
    """The value kept under ``key``, or ``read()``, kept there now (None included) when
    what it read is committed: inside a transaction it may have read the transaction's
    own writes, which a rollback would leave in the cache and nowhere else."""
    from django.core.cache import cache
    from django.db import connection

    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = read()
        if not connection.in_atomic_block:
            cache.set(key, value, timeout)
    return value


def forget(*keys: str) -> None:
    """Forget ``keys`` now, and again once the current transaction commits, so that a
    read that saw the database before the write cannot keep what it saw."""
    from django.core.cache import cache
    from django.db import transaction

    keys_list = list(keys)
    cache.delete_many(keys_list)
    transaction.on_commit(lambda: cache.delete_many(keys_list))


def forget_on_change(model, keys_of: Callable[[object], Iterable[str]]) -> None:
    """Whenever a ``model`` row is saved or deleted (one at a time, in bulk by a
    queryset's ``delete()``, or by a cascade), forget ``keys_of(row)``. Call once a
    model, from an app's ``ready()``. A queryset's ``update()`` sends no signal: code
    that writes these rows so forgets by hand."""
    from django.db.models.signals import post_delete, post_save

    def changed(sender, instance, **kwargs):
        forget(*keys_of(instance))

    uid = f"porch-forget-{model._meta.label_lower}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + "-save")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + "-delete")
