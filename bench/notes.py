"""Community notes: the bridging model on planted data, against a naive mean-rating rule
and against gradient descent on the same loss, in the same run.

    python -m bench.notes [--large] [--raters 10000] [--ratings 100000] [--notes N]
                          [--repeats 5] [--attack-targets 10] [--seed 1] [--out bench/results]

Plants a polarised community (``porch.notes.scoring.planted``: two camps, bridging,
partisan and bad notes), fits the model ``--repeats`` times with different random
starts, and prints: fit time (median) and iterations; precision and recall of the notes
shown against the truth "bridging"; |corr(f_u, camp)|; the same for a naive rule (mean
rating ≥ 0.8, and at the best threshold chosen with the truth); the time full-batch Adam
(the optimiser X uses) needs to reach the same note parameters, as a ratio; trust
weights; how many coordinated fake raters flip a note; the rater-count rule on small
servers; and the literal (unscaled) regulariser. ``--large``: 100,000 raters and
1,000,000 ratings. Writes ``<date>-notes.json`` (``<date>-notes-large.json``).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from porch.notes import scoring
from porch.notes.scoring import BAD, BRIDGING, PARTISAN_A, PARTISAN_B, Planted

NAIVE_THRESHOLD = 0.8
ADAM_LEARNING_RATE = 0.1  # the best of 0.03, 0.1 and 0.3 on the default data
ACCURACY = 1e-3  # "the same note parameters": every i_n and |f_n| within this
MAX_FAKES = 1024
SMALL_SERVER = {"raters": 30, "notes": 20, "ratings": 200, "seeds": 40}
SMALL_SERVER_RULES = (1, 3, 5, 10)


def fit(data: Planted, **kwargs) -> scoring.Fit:
    return scoring.fit(
        data.raters, data.notes, data.values, n_raters=data.n_raters, n_notes=data.n_notes, **kwargs
    )


def quality(data: Planted, shown: np.ndarray) -> dict:
    """Precision and recall of ``shown`` against the truth "bridging"."""
    bridging = data.kind == BRIDGING
    hits = int(np.count_nonzero(shown & bridging))
    partisan = np.isin(data.kind, [PARTISAN_A, PARTISAN_B])
    return {
        "shown": int(np.count_nonzero(shown)),
        "precision": round(hits / max(int(np.count_nonzero(shown)), 1), 3),
        "recall": round(hits / max(int(np.count_nonzero(bridging)), 1), 3),
        "partisan_shown": int(np.count_nonzero(shown & partisan)),
    }


def camp_correlation(data: Planted, result: scoring.Fit) -> float:
    counted = result.counted_raters & (data.camp != 0)
    return round(
        abs(float(np.corrcoef(result.rater_factors[counted], data.camp[counted])[0, 1])), 3
    )


def naive(data: Planted, counted: np.ndarray) -> dict:
    """Show a note when its mean rating (raters who count, ≥ 5 ratings) clears a bar."""
    keep = counted[data.raters]
    notes = data.notes[keep]
    ratings = np.bincount(notes, minlength=data.n_notes)
    mean = np.bincount(notes, data.values[keep], data.n_notes) / np.maximum(ratings, 1)
    enough = ratings >= scoring.MIN_NOTE_RATINGS
    fixed = quality(data, enough & (mean >= NAIVE_THRESHOLD))
    best, best_f1 = None, -1.0
    for threshold in np.round(np.arange(0.50, 1.00, 0.01), 2):
        result = quality(data, enough & (mean >= threshold))
        p, r = result["precision"], result["recall"]
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if f1 > best_f1:
            best, best_f1 = {**result, "threshold": float(threshold)}, f1
    return {"fixed": {**fixed, "threshold": NAIVE_THRESHOLD}, "best_with_truth": best}


def adam(data: Planted, reference: scoring.Fit, max_steps: int = 20_000) -> dict:
    """Full-batch Adam on the model's loss until every note's i_n and |f_n| is within
    ACCURACY of the converged fit (checked every 10 steps, as part of the time)."""
    keep = reference.counted_raters[data.raters]
    u, n, r = data.raters[keep], data.notes[keep], data.values[keep]
    n_raters, n_notes, total = data.n_raters, data.n_notes, float(r.size)
    rho_u = total / np.count_nonzero(np.bincount(u, minlength=n_raters))
    rho_n = total / np.count_nonzero(np.bincount(n, minlength=n_notes))
    li, lf = scoring.INTERCEPT_LAMBDA, scoring.FACTOR_LAMBDA
    rng = np.random.default_rng(0)
    mu = np.zeros(1)
    i_u, f_u = np.zeros(n_raters), rng.normal(0.0, 0.1, n_raters)
    i_n, f_n = np.zeros(n_notes), rng.normal(0.0, 0.1, n_notes)
    params = [mu, i_u, f_u, i_n, f_n]
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    target_i, target_f = reference.note_intercepts, np.abs(reference.note_factors)
    start = time.perf_counter()
    reached = False
    for step in range(1, max_steps + 1):
        if step % 10 == 1 and step > 1:
            error = max(np.abs(i_n - target_i).max(), np.abs(np.abs(f_n) - target_f).max())
            if error < ACCURACY:
                reached = True
                break
        residual = r - mu[0] - i_u[u] - i_n[n] - f_u[u] * f_n[n]
        grads = [
            np.array([-2 * residual.sum() + 2 * li * total * mu[0]]),
            -2 * np.bincount(u, residual, n_raters) + 2 * li * rho_u * i_u,
            -2 * np.bincount(u, residual * f_n[n], n_raters) + 2 * lf * rho_u * f_u,
            -2 * np.bincount(n, residual, n_notes) + 2 * li * rho_n * i_n,
            -2 * np.bincount(n, residual * f_u[u], n_notes) + 2 * lf * rho_n * f_n,
        ]
        for p, g, m, v in zip(params, grads, first, second, strict=True):
            g /= total
            m *= 0.9
            m += 0.1 * g
            v *= 0.999
            v += 0.001 * g * g
            p -= (
                ADAM_LEARNING_RATE * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
            )
    # ``step - 1`` updates were made when the check passed.
    return {"seconds": time.perf_counter() - start, "steps": step - 1, "reached": reached}


def flips(data: Planted, note: int, count: int, *, imitate=None, weight: float = 1.0) -> bool:
    attacked = scoring.with_fake_raters(data, note, count, imitate=imitate, seed=note)
    weights = np.where(attacked.camp[attacked.raters] == 0, weight, 1.0)
    result = fit(attacked, weights=weights)
    return bool(result.statuses()[note] == scoring.Status.HELPFUL)


def fakes_to_flip(data: Planted, note: int, *, imitate=None) -> int | None:
    """The fewest fakes that get ``note`` shown (doubling, then bisection); None if even
    MAX_FAKES do not."""
    if not flips(data, note, MAX_FAKES, imitate=imitate):
        return None
    high = 1
    while not flips(data, note, high, imitate=imitate):
        high *= 2
    low = high // 2
    while high - low > 1:
        middle = (low + high) // 2
        if flips(data, note, middle, imitate=imitate):
            high = middle
        else:
            low = middle
    return high


def attack(data: Planted, statuses: np.ndarray, targets: int, seed: int) -> dict:
    """Coordinated fakes against notes that are not shown: on partisan notes, posing as
    the other camp (the strongest simple attack) and piling on from the note's own camp;
    on bad notes, split between both camps."""
    rng = np.random.default_rng(seed)
    out = {}
    for kind in (PARTISAN_A, PARTISAN_B, BAD):
        pool = np.flatnonzero((data.kind == kind) & (statuses != scoring.Status.HELPFUL))
        chosen = [int(x) for x in rng.choice(pool, min(targets, pool.size), replace=False)]
        imitate = 0 if kind == BAD else None
        counts = [fakes_to_flip(data, note, imitate=imitate) for note in chosen]
        row = {"notes": chosen, "fakes_to_flip": counts}
        row["at_weight_0_any_flip_with_max"] = any(
            flips(data, note, MAX_FAKES, imitate=imitate, weight=0.0) for note in chosen
        )
        if kind != BAD and chosen:
            own = 1 if kind == PARTISAN_A else -1
            row["own_camp_pile_on_flips_with_max"] = flips(data, chosen[0], MAX_FAKES, imitate=own)
        out[kind] = row
    return out


def small_server() -> list[dict]:
    """The rater-count rule on many small planted communities."""
    rows = []
    for rule in SMALL_SERVER_RULES:
        totals = {"shown": 0, "hits": 0, "bridging": 0, "partisan_shown": 0, "counted": 0.0}
        for seed in range(SMALL_SERVER["seeds"]):
            data = scoring.planted(
                SMALL_SERVER["raters"], SMALL_SERVER["notes"], SMALL_SERVER["ratings"], seed=seed
            )
            result = fit(data, min_rater_ratings=rule)
            shown = result.statuses() == scoring.Status.HELPFUL
            totals["shown"] += int(np.count_nonzero(shown))
            totals["hits"] += int(np.count_nonzero(shown & (data.kind == BRIDGING)))
            totals["bridging"] += int(np.count_nonzero(data.kind == BRIDGING))
            totals["partisan_shown"] += quality(data, shown)["partisan_shown"]
            totals["counted"] += float(result.counted_raters.mean())
        rows.append(
            {
                "min_rater_ratings": rule,
                "precision": round(totals["hits"] / max(totals["shown"], 1), 3),
                "recall": round(totals["hits"] / totals["bridging"], 3),
                "partisan_shown": totals["partisan_shown"],
                "raters_counted": round(totals["counted"] / SMALL_SERVER["seeds"], 2),
            }
        )
    return rows


def unscaled(data: Planted) -> dict:
    """The same fit with the literal regulariser λ Σ θ² (not scaled by the ratings)."""
    w = np.ones(data.values.size)
    # The private switch exists for this comparison only.
    args = (data.raters, data.notes, data.values, w, data.n_raters, data.n_notes)
    result = scoring._fit(*args, scoring.MIN_RATER_RATINGS, 0, 5000, 1e-6, scale_regulariser=False)
    return describe_notes(data, result)


def describe_notes(data: Planted, result: scoring.Fit) -> dict:
    partisan = np.isin(data.kind, [PARTISAN_A, PARTISAN_B])
    bridging = data.kind == BRIDGING
    return {
        "iterations": result.iterations,
        "converged": result.converged,
        **quality(data, result.statuses() == scoring.Status.HELPFUL),
        "median_intercept_bridging": round(float(np.median(result.note_intercepts[bridging])), 3),
        "median_intercept_partisan": round(float(np.median(result.note_intercepts[partisan])), 3),
        "median_abs_factor_bridging": round(
            float(np.median(np.abs(result.note_factors[bridging]))), 3
        ),
        "median_abs_factor_partisan": round(
            float(np.median(np.abs(result.note_factors[partisan]))), 3
        ),
    }


def run(raters: int, notes: int, ratings: int, repeats: int, targets: int, seed: int) -> dict:
    data = scoring.planted(raters, notes, ratings, seed=seed)
    kinds = {kind: int(np.count_nonzero(data.kind == kind)) for kind in scoring.KINDS}
    fits, seconds = [], []
    for start in range(repeats):
        began = time.perf_counter()
        fits.append(fit(data, seed=start))
        seconds.append(time.perf_counter() - began)
    main = fits[0]
    statuses = main.statuses()
    shown_sets = [frozenset(np.flatnonzero(f.statuses() == scoring.Status.HELPFUL)) for f in fits]
    reference = fit(data, tolerance=1e-10)
    gradient = adam(data, reference)
    trust = np.random.default_rng(seed).random(data.n_raters)
    trusted = fit(data, weights=trust[data.raters])
    silenced = fit(data, weights=np.where(data.camp[data.raters] == -1, 0.0, 1.0))
    return {
        "benchmark": "notes",
        "raters": raters,
        "notes": notes,
        "ratings": ratings,
        "seed": seed,
        "camp_a_share": round(float(np.mean(data.camp == 1)), 3),
        "kinds": kinds,
        "raters_counted": int(np.count_nonzero(main.counted_raters)),
        "min_rater_ratings": scoring.MIN_RATER_RATINGS,
        "repeats": repeats,
        "fit_median_s": round(statistics.median(seconds), 3),
        "iterations": [f.iterations for f in fits],
        "converged": all(f.converged for f in fits),
        "model": {
            **describe_notes(data, main),
            "bad_marked_not_helpful": int(
                np.count_nonzero((data.kind == BAD) & (statuses == scoring.Status.NOT_HELPFUL))
            ),
            "camp_correlation": camp_correlation(data, main),
            "same_shown_set_all_seeds": len(set(shown_sets)) == 1,
            "max_intercept_spread_across_seeds": float(
                f"{max(np.abs(f.note_intercepts - main.note_intercepts).max() for f in fits):.1e}"
            ),
        },
        "naive": naive(data, main.counted_raters),
        "adam": {
            "learning_rate": ADAM_LEARNING_RATE,
            "accuracy": ACCURACY,
            "steps": gradient["steps"],
            "reached": gradient["reached"],
            "seconds": round(gradient["seconds"], 3),
            "ratio_to_als": round(gradient["seconds"] / statistics.median(seconds), 1),
        },
        "trust_weights": {
            "random_uniform": {
                **quality(data, trusted.statuses() == scoring.Status.HELPFUL),
                "camp_correlation": camp_correlation(data, trusted),
            },
            "camp_b_weight_0": quality(data, silenced.statuses() == scoring.Status.HELPFUL),
        },
        "attack": attack(data, statuses, targets, seed),
        "small_server": small_server(),
        "unscaled_regulariser": unscaled(data),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": platform.machine(),
    }


def report(result: dict) -> None:
    m, nv, ad = result["model"], result["naive"], result["adam"]
    k = result["kinds"]
    print(
        f"planted: {result['raters']:,} raters (camp A {result['camp_a_share']:.0%}), "
        f"{result['notes']:,} notes ({k[BRIDGING]} bridging, {k[PARTISAN_A]} partisan-a, "
        f"{k[PARTISAN_B]} partisan-b, {k[BAD]} bad), {result['ratings']:,} ratings; "
        f"{result['raters_counted']:,} raters count (≥ {result['min_rater_ratings']} ratings)"
    )
    print(
        f"model (ALS), median of {result['repeats']} random starts: {result['fit_median_s']} s, "
        f"iterations {result['iterations']}, converged {result['converged']}"
    )
    print(
        f"  shown {m['shown']}: precision {m['precision']:.3f}, recall {m['recall']:.3f} "
        f"(vs bridging), partisan shown {m['partisan_shown']}; bad notes marked not helpful "
        f"{m['bad_marked_not_helpful']}/{k[BAD]}; |corr(f_u, camp)| {m['camp_correlation']:.3f}"
    )
    print(
        f"  median i_n bridging {m['median_intercept_bridging']}, partisan "
        f"{m['median_intercept_partisan']}; median |f_n| bridging "
        f"{m['median_abs_factor_bridging']}, partisan {m['median_abs_factor_partisan']}; "
        f"same shown set for every start: {m['same_shown_set_all_seeds']} "
        f"(max |Δi_n| {m['max_intercept_spread_across_seeds']:.1e})"
    )
    best = nv["best_with_truth"]
    for label, row in (
        (f"mean rating ≥ {nv['fixed']['threshold']:.2f}", nv["fixed"]),
        (f"best threshold chosen with the truth ({best['threshold']:.2f})", best),
    ):
        print(
            f"naive rule, {label}: shown {row['shown']}, precision {row['precision']:.3f}, "
            f"recall {row['recall']:.3f}, partisan shown {row['partisan_shown']}"
        )
    print(
        f"gradient descent (full-batch Adam, lr {ad['learning_rate']}, same loss) to every "
        f"note within {ad['accuracy']} of the fit: {ad['steps']} steps, {ad['seconds']} s "
        f"({ad['ratio_to_als']}x the ALS fit){'' if ad['reached'] else ' (NOT reached)'}"
    )
    tw = result["trust_weights"]
    print(
        f"trust weights uniform 0..1: shown {tw['random_uniform']['shown']}, precision "
        f"{tw['random_uniform']['precision']:.3f}, recall {tw['random_uniform']['recall']:.3f}, "
        f"partisan shown {tw['random_uniform']['partisan_shown']}; camp B at weight 0: shown "
        f"{tw['camp_b_weight_0']['shown']} (partisan {tw['camp_b_weight_0']['partisan_shown']})"
    )
    print("coordinated fakes rating one hidden note helpful (each also rates 9 other notes):")
    posing = {PARTISAN_A: "as camp B", PARTISAN_B: "as camp A", BAD: "half as A, half as B"}
    for kind, row in result["attack"].items():
        counts = [c for c in row["fakes_to_flip"] if c is not None]
        sampled = len(row["fakes_to_flip"])
        line = f"  {sampled} hidden {kind} notes, fakes posing {posing[kind]}: "
        if counts:
            line += (
                f"min {min(counts)}, median {statistics.median(counts):g}, max {max(counts)} "
                f"fakes to flip; 5 fakes flip {sum(c <= 5 for c in counts)} of {sampled}"
            )
        if len(counts) < sampled:
            line += f"{'; ' if counts else ''}{sampled - len(counts)} not flipped by {MAX_FAKES:,}"
        if "own_camp_pile_on_flips_with_max" in row:
            pile = "flips it" if row["own_camp_pile_on_flips_with_max"] else "does not flip it"
            line += f"; a pile-on of {MAX_FAKES:,} from the note's own camp {pile}"
        zero = "some flip" if row["at_weight_0_any_flip_with_max"] else "none flips"
        print(f"{line}; {MAX_FAKES:,} fakes at weight 0: {zero}")
    s = SMALL_SERVER
    print(
        f"small servers ({s['raters']} raters, {s['notes']} notes, {s['ratings']} ratings, "
        f"{s['seeds']} seeds) by min_rater_ratings:"
    )
    for row in result["small_server"]:
        print(
            f"  {row['min_rater_ratings']:>2}: precision {row['precision']:.3f}, recall "
            f"{row['recall']:.3f}, partisan shown {row['partisan_shown']}, raters counted "
            f"{row['raters_counted']:.0%}"
        )
    un = result["unscaled_regulariser"]
    print(
        f"literal regulariser λΣθ² (not scaled by ratings): {un['iterations']} iterations, "
        f"precision {un['precision']:.3f}, recall {un['recall']:.3f}, median i_n bridging "
        f"{un['median_intercept_bridging']}, partisan {un['median_intercept_partisan']}; "
        f"median |f_n| partisan {un['median_abs_factor_partisan']}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="100,000 raters, 1,000,000 ratings")
    parser.add_argument("--raters", type=int, default=None)
    parser.add_argument("--ratings", type=int, default=None)
    parser.add_argument("--notes", type=int, default=None, help="default: one per 5 raters")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--attack-targets", type=int, default=None, help="notes per kind (10; 3 with --large)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    args = parser.parse_args(argv)
    raters = (100_000 if args.large else 10_000) if args.raters is None else args.raters
    ratings = (1_000_000 if args.large else 100_000) if args.ratings is None else args.ratings
    notes = max(1, raters // 5) if args.notes is None else args.notes
    targets = args.attack_targets
    targets = (3 if args.large else 10) if targets is None else targets
    if raters < 50 or notes < 10 or args.repeats < 1 or targets < 0:
        print(
            "bench: need --raters ≥ 50, --notes ≥ 10, --repeats ≥ 1, --attack-targets ≥ 0",
            file=sys.stderr,
        )
        return 2
    if not raters <= ratings <= raters * notes // 2:
        print("bench: --ratings must be between --raters and raters·notes/2", file=sys.stderr)
        return 2
    result = run(raters, notes, ratings, args.repeats, targets, args.seed)
    report(result)
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "-large" if args.large else ""
    path = args.out / f"{datetime.now(UTC).date()}-notes{suffix}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
