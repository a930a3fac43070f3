"""How many processes and threads ``porch serve`` starts by default (no Django here, so
the benchmark's floor server starts the same way).

Python runs one thread at a time per process, so a process per core is what uses the
machine. Every process shares the cache (Redis, or the disk cache in
``PORCH_CACHE_DIR``), so rate limits and kept feed rankings are the same whichever
process answers. Each process holds its own copy of Porch, hence the cap.
"""

from __future__ import annotations

import os

MOST_WORKERS = 4


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, MOST_WORKERS))


# Request threads per process. Python runs one of them at a time, and each database call
# hands the interpreter to another thread and waits to get it back: on the benchmark's
# mixed load (2 processes, 8 connections) 5 threads a process served 78 requests/s with
# p99 414 ms, 3 threads 97 (247 ms), 2 threads 90-99 (211-222 ms) and 1 thread 96-114
# (157-193 ms). Two keep most of that gain and let one slow request (a big export, a
# member with thousands of friends) not hold up its whole process.
THREADS = 2


def default_threads() -> int:
    return THREADS
