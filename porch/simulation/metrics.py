"""Summary statistics for the simulation's metrics."""

from __future__ import annotations

import numpy as np


def gini(values) -> float:
    """The Gini coefficient of non-negative ``values``: 0 when everyone gets the same,
    approaching 1 when one gets everything. 0 for all zeros."""
    x = np.sort(np.asarray(values, dtype=float))
    if x.size == 0:
        raise ValueError("gini of nothing")
    if (x < 0).any():
        raise ValueError("gini needs non-negative values")
    total = x.sum()
    if total == 0:
        return 0.0
    n = x.size
    ranks = np.arange(1, n + 1)
    return float((2 * (ranks * x).sum()) / (n * total) - (n + 1) / n)


def mean_std(values) -> dict[str, float]:
    """Mean and sample standard deviation (0 for a single value)."""
    x = np.asarray(values, dtype=float)
    return {
        "mean": float(x.mean()),
        "std": float(x.std(ddof=1)) if x.size > 1 else 0.0,
    }
