"""Community notes: which notes do people who usually disagree both find helpful?

The bridging model X documents for its Community Notes ("Note ranking algorithm",
twitter/communitynotes), written afresh for NumPy. Each rating ``r`` of note ``n`` by
rater ``u`` (helpful 1.0, somewhat helpful 0.5, not helpful 0.0) is modelled as

    r ≈ μ + i_u + i_n + f_u · f_n

with one latent factor: ``f_u`` places the rater on the community's main axis of
disagreement and ``f_n`` the note. Whatever agreement the axis can explain ("my side
likes it") goes into ``f_u · f_n``; the note's intercept ``i_n`` is the helpfulness left
over, which only a note rated helpful across the axis earns. Intercepts are regularised
five times harder than factors, so the fit prefers the partisan explanation when it fits.

The loss, as X's code writes it, is a (weighted) mean over ratings plus means over
parameters:

    Σ w (r - r̂)² / W + λ_i (mean i_u² + mean i_n² + μ²) + λ_f (mean f_u² + mean f_n²)

where ``W = Σ w`` and the means run over the raters and notes that have ratings. Times
``W`` this is the textbook sum Σ w (r - r̂)² + λ·rho·Σ θ² with rho the average weight of
ratings per rater (or per note): the regulariser scales with the number of ratings, so
shrinkage and the scale of the factors do not depend on the size of the community and the
published thresholds (0.40, 0.50) mean the same on a family server as on X.

The fit is alternating least squares: with the notes held fixed every rater's
(i_u, f_u) is a 2x2 ridge solve, all raters at once from ``np.bincount`` sums; then the
notes the same way, then μ. Each step minimises the loss exactly in its block, so the
loss never rises.

Pure: arrays in, arrays out, no database. The server's notes task and the benchmark run
the same code. ``planted`` and ``with_fake_raters`` make synthetic communities with a
known truth for the tests and ``python -m bench.notes``. See docs/algorithms/notes.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike


class Status(StrEnum):
    """A note's status; the strings are what ``statuses`` returns."""

    HELPFUL = "helpful"  # shown under the post
    NOT_HELPFUL = "not_helpful"
    NEEDS_MORE_RATINGS = "needs_more_ratings"


# What a rater's answer counts as.
RATING_VALUES = {"helpful": 1.0, "somewhat_helpful": 0.5, "not_helpful": 0.0}

INTERCEPT_LAMBDA = 0.15
FACTOR_LAMBDA = 0.03
# A note needs this many ratings (from raters who count) before it gets a status.
MIN_NOTE_RATINGS = 5
# X counts a rater after 10 ratings; on a family server that can take months, and most
# members would never count. A rater's own intercept and factor can explain one or two
# ratings exactly; from three on, their ratings say something about the notes that their
# two numbers cannot absorb. The bench's small-server table shows 3 loses nothing.
MIN_RATER_RATINGS = 3
HELPFUL_MIN_INTERCEPT = 0.40
HELPFUL_MAX_FACTOR = 0.50
NOT_HELPFUL_INTERCEPT = -0.05
NOT_HELPFUL_FACTOR_SLOPE = 0.8
# A note already shown stays shown until its intercept is this far below the bar.
HYSTERESIS = 0.01


@dataclass(frozen=True)
class Fit:
    """A fitted model; arrays are indexed by rater id and note id."""

    mu: float
    rater_intercepts: np.ndarray
    rater_factors: np.ndarray
    note_intercepts: np.ndarray
    note_factors: np.ndarray
    # Ratings each note had from raters who count (with a weight above 0).
    note_ratings: np.ndarray
    # Raters with at least ``min_rater_ratings`` ratings; the others were left out.
    counted_raters: np.ndarray
    iterations: int
    converged: bool
    # The loss above at the end of the fit (per unit of rating weight).
    loss: float

    def statuses(self, previous: ArrayLike | None = None) -> np.ndarray:
        """Every note's status; ``previous`` (the statuses last time) adds hysteresis."""
        return statuses(
            self.note_intercepts, self.note_factors, self.note_ratings, previous=previous
        )


def fit(
    raters: ArrayLike,
    notes: ArrayLike,
    values: ArrayLike,
    *,
    n_raters: int | None = None,
    n_notes: int | None = None,
    weights: ArrayLike | None = None,
    min_rater_ratings: int = MIN_RATER_RATINGS,
    seed: int = 0,
    max_iterations: int = 2000,
    tolerance: float = 1e-6,
) -> Fit:
    """Fit the model to ratings given as three parallel arrays.

    ``raters[k]`` rated ``notes[k]`` with ``values[k]`` (0.0, 0.5 or 1.0; any value in
    [0, 1] is accepted). Ids are indices from 0; ``n_raters``/``n_notes`` default to the
    largest id + 1. One rating per (rater, note) pair. ``weights`` (≥ 0, e.g. each
    rater's trust score) scale each rating's say; only their ratios matter, and weight 0
    is the same as no rating. Raters with fewer than ``min_rater_ratings`` ratings are
    left out of the fit (their parameters are 0). The fit stops when no parameter moves more than ``tolerance`` in an
    iteration, or after ``max_iterations``. ``seed`` sets the random start of the note
    factors; the factor's sign is then fixed as X fixes it: most raters negative.
    """
    u, n, r, w, n_raters, n_notes = _checked(raters, notes, values, weights, n_raters, n_notes)
    if min_rater_ratings < 1 or max_iterations < 1 or tolerance <= 0:
        raise ValueError("min_rater_ratings and max_iterations must be ≥ 1, tolerance > 0")
    return _fit(u, n, r, w, n_raters, n_notes, min_rater_ratings, seed, max_iterations, tolerance)


def _fit(
    u,
    n,
    r,
    w,
    n_raters,
    n_notes,
    min_rater_ratings,
    seed,
    max_iterations,
    tolerance,
    scale_regulariser=True,
):
    # scale_regulariser=False is the loss with literal sums (λ Σ θ², not scaled by the
    # ratings): only the bench uses it, to show why Porch scales.
    # A rating of weight 0 is no rating at all, also for the rater-count rule.
    positive = w > 0
    u, n, r, w = u[positive], n[positive], r[positive], w[positive]
    counted = np.bincount(u, minlength=n_raters) >= min_rater_ratings
    keep = counted[u]
    u, n, r, w = u[keep], n[keep], r[keep], w[keep]
    note_ratings = np.bincount(n, minlength=n_notes)
    total = float(w.sum())
    if total == 0.0:
        zeros = [np.zeros(n_raters), np.zeros(n_raters), np.zeros(n_notes), np.zeros(n_notes)]
        return Fit(0.0, *zeros, note_ratings, counted, 0, True, 0.0)
    rho_raters, rho_notes = 1.0, 1.0
    if scale_regulariser:
        rho_raters = total / np.count_nonzero(np.bincount(u, minlength=n_raters))
        rho_notes = total / np.count_nonzero(note_ratings)
    start = np.random.default_rng(seed).normal(0.0, 1.0, n_notes)
    mu, i_u, f_u, i_n, f_n, iterations, converged = _alternating_least_squares(
        u, n, r, w, n_raters, start, rho_raters, rho_notes, max_iterations, tolerance
    )
    rated = np.bincount(u, minlength=n_raters) > 0
    if np.count_nonzero(f_u[rated] > 0) > np.count_nonzero(f_u[rated] < 0):
        f_u, f_n = -f_u, -f_n
    loss = _loss(u, n, r, w, mu, i_u, f_u, i_n, f_n, rho_raters, rho_notes) / total
    return Fit(mu, i_u, f_u, i_n, f_n, note_ratings, counted, iterations, converged, loss)


def statuses(
    note_intercepts: ArrayLike,
    note_factors: ArrayLike,
    note_ratings: ArrayLike,
    *,
    previous: ArrayLike | None = None,
) -> np.ndarray:
    """Each note's status string from its intercept, factor and number of ratings.

    Helpful (shown) at ≥ 5 ratings, i_n ≥ 0.40 and |f_n| < 0.50; not helpful at ≥ 5
    ratings and i_n < -0.05 - 0.8·|f_n|; otherwise needs more ratings. A note whose
    ``previous`` status was helpful keeps it down to i_n ≥ 0.39 (the factor and ratings
    rules still apply), so a note does not flicker on and off around the bar.
    """
    intercept = np.asarray(note_intercepts, dtype=float)
    factor = np.abs(np.asarray(note_factors, dtype=float))
    enough = np.asarray(note_ratings) >= MIN_NOTE_RATINGS
    bar = np.full(intercept.shape, HELPFUL_MIN_INTERCEPT)
    if previous is not None:
        was_shown = np.asarray(previous).astype(str) == Status.HELPFUL.value
        if was_shown.shape != intercept.shape:
            raise ValueError("previous needs one status per note")
        bar[was_shown] -= HYSTERESIS
    helpful = enough & (intercept >= bar) & (factor < HELPFUL_MAX_FACTOR)
    not_helpful = enough & (intercept < NOT_HELPFUL_INTERCEPT - NOT_HELPFUL_FACTOR_SLOPE * factor)
    return np.where(
        helpful,
        Status.HELPFUL.value,
        np.where(not_helpful, Status.NOT_HELPFUL.value, Status.NEEDS_MORE_RATINGS.value),
    )


def _checked(raters, notes, values, weights, n_raters, n_notes):
    u = np.asarray(raters)
    n = np.asarray(notes)
    r = np.asarray(values, dtype=float)
    if u.ndim != 1 or u.shape != n.shape or u.shape != r.shape:
        raise ValueError("raters, notes and values must be 1-d arrays of the same length")
    if u.size and not (np.issubdtype(u.dtype, np.integer) and np.issubdtype(n.dtype, np.integer)):
        raise ValueError("rater and note ids must be integers")
    u, n = u.astype(np.int64), n.astype(np.int64)
    n_raters = int(u.max(initial=-1)) + 1 if n_raters is None else n_raters
    n_notes = int(n.max(initial=-1)) + 1 if n_notes is None else n_notes
    if u.size and (u.min() < 0 or n.min() < 0 or u.max() >= n_raters or n.max() >= n_notes):
        raise ValueError("ids must be in 0..n_raters-1 and 0..n_notes-1")
    if not np.all((r >= 0) & (r <= 1)):
        raise ValueError("values must be between 0 and 1")
    w = np.ones_like(r) if weights is None else np.asarray(weights, dtype=float)
    if w.shape != r.shape or not np.all(np.isfinite(w) & (w >= 0)):
        raise ValueError("weights must be finite, ≥ 0, one per rating")
    if np.unique(u * max(n_notes, 1) + n).size != u.size:
        raise ValueError("one rating per (rater, note): keep each rater's latest")
    return u, n, r, w, n_raters, n_notes


def _ridge_2x2(index, target, other, w, weight_sums, lambda_i, lambda_f):
    """Per group g: argmin over (i, f) of Σ_g w (target - i - f·other)² + λ_i i² + λ_f f².

    Also returns Σ w (target - i - f·other) over all rows, which μ's update needs.
    """
    size = weight_sums.size
    wo = w * other
    wt = w * target
    b = np.bincount(index, wo, size)
    c = np.bincount(index, wo * other, size) + lambda_f
    d = np.bincount(index, wt, size)
    e = np.bincount(index, wt * other, size)
    a = weight_sums + lambda_i
    det = a * c - b * b  # > 0: both lambdas make the 2x2 matrix positive definite
    intercepts, factors = (c * d - b * e) / det, (a * e - b * d) / det
    residual = float(d.sum() - weight_sums @ intercepts - b @ factors)
    return intercepts, factors, residual


def _alternating_least_squares(
    u, n, r, w, n_raters, f_n, rho_raters, rho_notes, max_iterations, tol
):
    n_notes = f_n.size
    total = w.sum()
    rater_weights = np.bincount(u, w, n_raters)
    note_weights = np.bincount(n, w, n_notes)
    i_n = np.zeros(n_notes)
    i_u = np.zeros(n_raters)
    f_u = np.zeros(n_raters)
    mu = float((w * r).sum() / (total * (1 + INTERCEPT_LAMBDA)))
    for iteration in range(1, max_iterations + 1):
        new_i_u, new_f_u, _ = _ridge_2x2(
            u,
            r - mu - i_n[n],
            f_n[n],
            w,
            rater_weights,
            INTERCEPT_LAMBDA * rho_raters,
            FACTOR_LAMBDA * rho_raters,
        )
        new_i_n, new_f_n, residual = _ridge_2x2(
            n,
            r - mu - new_i_u[u],
            new_f_u[u],
            w,
            note_weights,
            INTERCEPT_LAMBDA * rho_notes,
            FACTOR_LAMBDA * rho_notes,
        )
        # residual is Σ w (r - μ - i_u - i_n - f_u·f_n) with the new rater and note values.
        new_mu = (residual + mu * total) / (total * (1 + INTERCEPT_LAMBDA))
        change = max(
            abs(new_mu - mu),
            np.abs(new_i_u - i_u).max(),
            np.abs(new_f_u - f_u).max(),
            np.abs(new_i_n - i_n).max(),
            np.abs(new_f_n - f_n).max(),
        )
        mu, i_u, f_u, i_n, f_n = new_mu, new_i_u, new_f_u, new_i_n, new_f_n
        if change < tol:
            return mu, i_u, f_u, i_n, f_n, iteration, True
    return mu, i_u, f_u, i_n, f_n, max_iterations, False


def _loss(u, n, r, w, mu, i_u, f_u, i_n, f_n, rho_raters, rho_notes):
    """The loss times W (the sum form); zero parameters of unrated ids add nothing."""
    error = r - mu - i_u[u] - i_n[n] - f_u[u] * f_n[n]
    return float(
        (w * error * error).sum()
        + INTERCEPT_LAMBDA * (rho_raters * (i_u @ i_u) + rho_notes * (i_n @ i_n) + w.sum() * mu**2)
        + FACTOR_LAMBDA * (rho_raters * (f_u @ f_u) + rho_notes * (f_n @ f_n))
    )


# Planted data: synthetic communities with a known truth, for the tests and the bench.

BRIDGING, PARTISAN_A, PARTISAN_B, BAD = "bridging", "partisan-a", "partisan-b", "bad"
KINDS = (BRIDGING, PARTISAN_A, PARTISAN_B, BAD)


@dataclass(frozen=True)
class Planted:
    """Ratings drawn from a known truth: each rater's camp and each note's kind."""

    raters: np.ndarray
    notes: np.ndarray
    values: np.ndarray
    # Per rater: +1 side A, -1 side B, 0 a fake rater (see ``with_fake_raters``).
    camp: np.ndarray
    # Per note: one of KINDS.
    kind: np.ndarray

    @property
    def n_raters(self) -> int:
        return self.camp.size

    @property
    def n_notes(self) -> int:
        return self.kind.size


def planted(
    raters: int = 1000,
    notes: int | None = None,
    ratings: int = 10_000,
    *,
    seed: int = 0,
    majority: float = 0.6,
    mix: tuple[float, float, float, float] = (0.15, 0.30, 0.20, 0.35),
    noise: float = 0.5,
    own_side: float = 3.0,
) -> Planted:
    """A polarised community: two camps of raters and four kinds of note.

    ``majority`` of the raters are in camp A (+1), the rest in camp B (-1). Notes are
    bridging, partisan-a, partisan-b and bad in the proportions ``mix``; ``notes``
    defaults to one per 5 raters. A rater's view of a note is
    ``quality + leniency + polarity · camp + noise``: bridging notes have quality +1.25,
    bad ones -1.25, partisan ones 0 with polarity ±1.25 (so their own side likes them as
    much as a bridging note and the other side as little as a bad one); each note's
    quality varies by N(0, 0.2), each rater's leniency by N(0, 0.3), each rating by
    N(0, ``noise``). A view ≥ 0.5 is "helpful", ≥ -0.5 "somewhat", below "not helpful".
    Each rater rates a random subset: activity is lognormal (sigma 1, so many rate only
    a few notes), note popularity lognormal (sigma 0.3); one rating per pair.
    """
    notes = max(1, raters // 5) if notes is None else notes
    if raters < 2 or notes < 1 or ratings < 1 or ratings > raters * notes // 2:
        raise ValueError("need 2+ raters, 1+ notes and 1..raters·notes/2 ratings")
    if not 0 < majority < 1 or len(mix) != 4 or min(mix) < 0 or sum(mix) <= 0:
        raise ValueError("majority must be in (0, 1) and mix four shares ≥ 0")
    if own_side < 1:
        raise ValueError("own_side must be at least 1")
    rng = np.random.default_rng(seed)
    camp = np.where(rng.random(raters) < majority, 1, -1)
    kind = rng.choice(np.array(KINDS), size=notes, p=np.asarray(mix) / sum(mix))
    strength = 1.25
    quality = np.select([kind == BRIDGING, kind == BAD], [strength, -strength], 0.0)
    quality += rng.normal(0.0, 0.2, notes)
    polarity = np.select([kind == PARTISAN_A, kind == PARTISAN_B], [strength, -strength], 0.0)
    leniency = rng.normal(0.0, 0.3, raters)
    activity = rng.lognormal(0.0, 1.0, raters)
    popularity = rng.lognormal(0.0, 0.3, notes)
    # Accepting a pair of a rater and a partisan note of the other camp only 1/own_side of
    # the time makes raters ``own_side`` times as likely to rate their own side's notes.
    side = np.sign(polarity).astype(int)
    u, n = _distinct_pairs(
        rng,
        activity / activity.sum(),
        popularity / popularity.sum(),
        ratings,
        lambda u, n: (side[n] * camp[u] >= 0) | (rng.random(u.size) * own_side < 1),
    )
    view = quality[n] + leniency[u] + polarity[n] * camp[u] + rng.normal(0.0, noise, ratings)
    values = np.where(view >= 0.5, 1.0, np.where(view >= -0.5, 0.5, 0.0))
    return Planted(u, n, values, camp, kind)


def with_fake_raters(
    data: Planted,
    note: int,
    count: int,
    *,
    imitate: int | None = None,
    filler: int = 9,
    seed: int = 0,
) -> Planted:
    """``data`` plus ``count`` coordinated fake raters who all rate ``note`` helpful.

    To pass for real members each fake also rates ``filler`` other random notes the way
    a typical rater of camp ``imitate`` would (helpful: bridging notes and that camp's
    partisan notes; not helpful: the rest); ``imitate=0`` splits the fakes between the
    camps. ``imitate`` defaults to the camp *opposed* to a partisan note (camp B for
    other notes), the strongest attack on a bridging model: the note then seems liked
    across the divide. The fakes are raters ``data.n_raters`` onwards, with camp 0.
    """
    if count < 0 or filler < 0 or filler > data.n_notes - 1:
        raise ValueError("count ≥ 0 and 0 ≤ filler < number of notes")
    if imitate is None:
        imitate = 1 if data.kind[note] == PARTISAN_B else -1
    fake_camp = np.full(count, imitate) if imitate else np.resize([1, -1], count)
    likes = {
        1: (data.kind == BRIDGING) | (data.kind == PARTISAN_A),
        -1: (data.kind == BRIDGING) | (data.kind == PARTISAN_B),
    }
    rng = np.random.default_rng(seed)
    others = np.delete(np.arange(data.n_notes), note)
    fake_notes = [np.append(rng.choice(others, filler, replace=False), note) for _ in range(count)]
    fake_n = np.concatenate(fake_notes) if count else np.zeros(0, dtype=np.int64)
    fake_u = np.repeat(np.arange(data.n_raters, data.n_raters + count), filler + 1)
    camp_of_row = np.repeat(fake_camp, filler + 1)
    liked = np.where(camp_of_row == 1, likes[1][fake_n], likes[-1][fake_n])
    fake_values = np.where(liked | (fake_n == note), 1.0, 0.0)
    return Planted(
        np.concatenate([data.raters, fake_u]),
        np.concatenate([data.notes, fake_n]),
        np.concatenate([data.values, fake_values]),
        np.concatenate([data.camp, np.zeros(count, dtype=data.camp.dtype)]),
        data.kind,
    )


def _distinct_pairs(rng, rater_p, note_p, count, accept):
    """``count`` distinct (rater, note) pairs drawn with the given probabilities, kept
    when ``accept(raters, notes)`` says so."""
    n_notes = note_p.size
    keys = np.zeros(0, dtype=np.int64)
    distinct = 0
    while distinct < count:
        extra = int((count - distinct) * 1.2) + 100
        u = rng.choice(rater_p.size, extra, p=rater_p)
        n = rng.choice(n_notes, extra, p=note_p)
        kept = accept(u, n)
        keys = np.concatenate([keys, u[kept] * n_notes + n[kept]])
        _, first = np.unique(keys, return_index=True)
        distinct = first.size
    keys = keys[np.sort(first)[:count]]
    return keys // n_notes, keys % n_notes
