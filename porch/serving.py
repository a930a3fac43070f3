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


def default_threads() -> int:
    """Granian's own guidance: up to 2 x cores + 1 blocking threads per process."""
    return 2 * (os.cpu_count() or 1) + 1
