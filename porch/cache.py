"""The cache every worker process shares when there is no Redis (settings.CACHES)."""

from __future__ import annotations

from diskcache import DjangoCache


class SharedDiskCache(DjangoCache):
    """diskcache's Django cache, keeping its SQLite connections open for the thread's life.

    Django closes every cache when a request finishes; diskcache's ``close`` then drops
    its connections, and the next request opened them again: a tenth of a first feed
    page's time. Its connections are per thread and reopened after a fork, like Porch's
    database connections (``CONN_MAX_AGE=None``)."""

    def close(self, **kwargs):
        pass
