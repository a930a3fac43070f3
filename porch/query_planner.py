"""The database's statistics for its query planner.

SQLite plans a query from ``sqlite_stat1``, which only ``ANALYZE`` writes; without it the
planner guesses, and on a server with many members it guessed that reading every recent
post was cheaper than reading a member's friends' posts (docs/decisions.md, 31).
PostgreSQL's autovacuum keeps its own statistics, but only some time after a bulk load.
"""

from __future__ import annotations

from django.db import connections

# SQLite reads about this many rows of each index (enough to tell a selective index
# from an unselective one) instead of all of them: milliseconds, not seconds.
SQLITE_ANALYSIS_LIMIT = 1000


def refresh_statistics(using: str = "default") -> None:
    """Have the database measure its tables now (after a bulk load, or at start)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
