"""The writers' queue for one SQLite database file (see ``porch.sqlite.base``), without
Django, so the benchmark's floor (``bench/floor.py``) writes the same way."""

from __future__ import annotations

import fcntl
import os
import threading
import time


class Busy(Exception):
    """Waited longer than the timeout for the writer lock."""


_POLL_SECONDS = 0.0005


class WriterQueue:
    """The two locks for one database file, for one process."""

    def __init__(self, path: str):
        self.pid = os.getpid()
        self.threads = threading.Lock()
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)

    def acquire(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        if not self.threads.acquire(timeout=timeout):
            raise Busy("database is locked")
        try:
            while True:
                try:
                    fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise Busy("database is locked") from None
                    time.sleep(_POLL_SECONDS)
        except BaseException:
            self.threads.release()
            raise

    def release(self) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            self.threads.release()


_queues: dict[str, WriterQueue] = {}
_queues_lock = threading.Lock()


def queue_for(database: str) -> WriterQueue:
    path = os.path.abspath(database) + "-writers.lock"
    with _queues_lock:
        queue = _queues.get(path)
        # A process started by fork must not share its parent's locks or lock file.
        if queue is None or queue.pid != os.getpid():
            queue = _queues[path] = WriterQueue(path)
        return queue
