"""Django's SQLite backend, with one change: writers wait their turn in a queue.

SQLite lets one transaction write at a time. Porch starts every transaction with
``BEGIN IMMEDIATE`` (``transaction_mode``), and a second writer that finds the database
busy is put to sleep by SQLite's busy handler for 1, 2, 5, 10 ... 100 ms at a time and
then tries again: under steady writes from several server threads and processes, an
unlucky writer keeps missing its turn. Posting measured 55 ms at the median and 736 ms at
p99, while a commit on this disk takes under a millisecond.

So before ``BEGIN IMMEDIATE`` a transaction takes two locks, released when it commits,
rolls back or its connection closes:

1. a lock shared by the threads of this process (they queue on it and wake at once);
2. an exclusive ``flock`` on a file beside the database, for the other processes
   (``porch serve`` workers, the background worker), tried every half millisecond.

Both give up after the connection's ``timeout`` with SQLite's own "database is locked".
A write outside any transaction (``QuerySet.update()``, a model's ``save()`` on its own)
is a transaction of one statement, and queues the same way around that statement.
Readers take neither: in WAL mode they never wait for the writer.
"""

from __future__ import annotations

from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime

from django.db.backends import utils
from django.db.backends.sqlite3 import base, operations
from django.db.utils import OperationalError

from .queue import Busy, WriterQueue, queue_for

_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class _QueuedWrites:
    """A cursor whose writes outside a transaction wait in the writers' queue."""

    def execute(self, sql, params=None):
        with self.db.queued(sql):
            return super().execute(sql, params)

    def executemany(self, sql, param_list):
        with self.db.queued(sql):
            return super().executemany(sql, param_list)


class _Cursor(_QueuedWrites, utils.CursorWrapper):
    pass


class _DebugCursor(_QueuedWrites, utils.CursorDebugWrapper):
    pass


class DatabaseOperations(operations.DatabaseOperations):
    def convert_datetimefield_value(self, value, expression, connection):
        """A stored moment is UTC; SQLite's driver has already parsed it. Django's own
        conversion reads two settings for every value, which was a tenth of reading a
        feed's window (hundreds of rows); this reads none when the database's time
        zone is UTC (Porch's settings), and defers to it otherwise."""
        if value.__class__ is datetime and value.tzinfo is None and self.connection.timezone is UTC:
            return value.replace(tzinfo=UTC)
        return super().convert_datetimefield_value(value, expression, connection)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    _writer_queue: WriterQueue | None = None

    def make_cursor(self, cursor):
        return _Cursor(cursor, self)

    def make_debug_cursor(self, cursor):
        return _DebugCursor(cursor, self)

    def queued(self, sql: str):
        """Around one statement: the writers' queue if it writes on its own (in
        autocommit, outside a transaction that already holds the queue)."""
        if (
            self._writer_queue is not None
            or self.in_atomic_block
            or not self.get_autocommit()
            or not sql.lstrip()[:7].upper().startswith(_WRITES)
        ):
            return nullcontext()
        return self._one_statement()

    @contextmanager
    def _one_statement(self):
        queue = self._queue()
        if queue is None:
            yield
            return
        self._wait_for(queue)
        try:
            yield
        finally:
            queue.release()

    def _wait_for(self, queue: WriterQueue) -> None:
        try:
            queue.acquire(self._timeout())
        except Busy:
            raise OperationalError("database is locked") from None

    def _timeout(self) -> float:
        return float(self.settings_dict["OPTIONS"].get("timeout", 5))

    def _queue(self) -> WriterQueue | None:
        if self.is_in_memory_db():
            return None
        return queue_for(str(self.settings_dict["NAME"]))

    def _start_transaction_under_autocommit(self):
        queue = self._queue()
        if queue is not None:
            self._wait_for(queue)
            self._writer_queue = queue
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._leave_queue()
            raise

    def _leave_queue(self) -> None:
        queue, self._writer_queue = self._writer_queue, None
        if queue is not None:
            queue.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._leave_queue()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._leave_queue()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._leave_queue()

    def _set_autocommit(self, autocommit):
        super()._set_autocommit(autocommit)
        if autocommit:
            self._leave_queue()
