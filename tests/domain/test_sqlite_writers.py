"""SQLite's writers queue (porch.sqlite): a transaction holds the writer lock from its
BEGIN to its COMMIT or ROLLBACK, other threads and processes wait their turn for it,
and a writer that waits longer than the connection's timeout gets "database is locked"."""

from __future__ import annotations

import fcntl
import os
import threading

import pytest
from django.db import OperationalError, close_old_connections, connection, transaction

from porch.accounts.models import SiteSettings

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the writer queue is SQLite's (PostgreSQL has MVCC)"
)


def _lock_path() -> str:
    return os.path.abspath(str(connection.settings_dict["NAME"])) + "-writers.lock"


def _taken_elsewhere() -> bool:
    """Whether the writer lock is held, asked as another process would (a second open
    of the lock file has its own flock)."""
    fd = os.open(_lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _site_name() -> str:
    return SiteSettings.objects.values_list("site_name", flat=True).get()


def test_a_transaction_holds_the_writer_lock_until_it_commits(transactional_db):
    assert not _taken_elsewhere()
    with transaction.atomic():
        SiteSettings.current()
        assert _taken_elsewhere()
        with transaction.atomic():  # a savepoint takes nothing more
            assert _taken_elsewhere()
        assert _taken_elsewhere()
    assert not _taken_elsewhere()


def test_a_transaction_that_fails_lets_the_next_writer_go(transactional_db):
    SiteSettings.current()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        SiteSettings.objects.update(site_name="Rolled back")
        1 / 0  # noqa: B018
    assert not _taken_elsewhere()
    with transaction.atomic():
        SiteSettings.objects.update(site_name="After a rollback")
    assert _site_name() == "After a rollback"


def test_a_writer_in_another_process_makes_a_transaction_wait_then_give_up(
    transactional_db, monkeypatch
):
    SiteSettings.current()
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.2)
    other = os.open(_lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(other, fcntl.LOCK_EX)
        with pytest.raises(OperationalError, match="database is locked"), transaction.atomic():
            SiteSettings.objects.update(site_name="Never written")
        assert not connection.in_atomic_block
    finally:
        fcntl.flock(other, fcntl.LOCK_UN)
        os.close(other)
    with transaction.atomic():
        SiteSettings.objects.update(site_name="Written once it was free")
    assert _site_name() == "Written once it was free"


def test_writers_in_many_threads_all_get_their_turn(transactional_db, make_member):
    """Eight threads, each starting twenty transactions that read and write the same
    row: none fails and none is lost, because each waits for the one before."""
    member = make_member("counter")
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for _ in range(20):
                with transaction.atomic():
                    row = type(member).objects.get(pk=member.pk)
                    row.bio = str(int(row.bio or "0") + 1)
                    row.save(update_fields=["bio"])
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    member.refresh_from_db()
    assert member.bio == "160"
    assert not _taken_elsewhere()


def test_a_write_outside_a_transaction_waits_in_the_same_queue(transactional_db, monkeypatch):
    """``QuerySet.update()`` on its own is a one-statement transaction: it queues too."""
    SiteSettings.current()
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.2)
    other = os.open(_lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(other, fcntl.LOCK_EX)
        with pytest.raises(OperationalError, match="database is locked"):
            SiteSettings.objects.update(site_name="Never written")
        assert _site_name() != "Never written"  # reading does not queue
    finally:
        fcntl.flock(other, fcntl.LOCK_UN)
        os.close(other)
    SiteSettings.objects.update(site_name="Written when it was free")
    assert _site_name() == "Written when it was free"
    assert not _taken_elsewhere()
