"""The bridging model for community notes is pure: ratings in, parameters and statuses out.

Most tests run on one planted community (``scoring.planted``) whose truth is known: two
camps of raters, bridging notes both camps like, partisan notes only one camp likes, and
bad notes nobody likes.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import minimize

from porch.notes import scoring
from porch.notes.scoring import BAD, BRIDGING, PARTISAN_A, PARTISAN_B, Status

ROOT = Path(__file__).resolve().parents[2]
HELPFUL, NEEDS, NOT_HELPFUL = Status.HELPFUL, Status.NEEDS_MORE_RATINGS, Status.NOT_HELPFUL


def fit(data, **kwargs):
    return scoring.fit(
        data.raters, data.notes, data.values, n_raters=data.n_raters, n_notes=data.n_notes, **kwargs
    )


@pytest.fixture(scope="module")
def community():
    return scoring.planted(1500, 300, 15_000, seed=1)


@pytest.fixture(scope="module")
def fitted(community):
    return fit(community)


def shown(result):
    return result.statuses() == HELPFUL


def test_the_model_shows_the_bridging_notes_and_no_partisan_one(community, fitted):
    assert fitted.converged
    bridging = community.kind == BRIDGING
    hits = np.count_nonzero(shown(fitted) & bridging)
    assert hits / np.count_nonzero(shown(fitted)) >= 0.9  # precision
    assert hits / np.count_nonzero(bridging) >= 0.9  # recall
    assert not np.any(shown(fitted) & np.isin(community.kind, [PARTISAN_A, PARTISAN_B]))


def test_a_naive_mean_rating_rule_would_show_partisan_notes(community, fitted):
    # Why bridging: raters rate their own side's notes more, so a partisan note's mean
    # rating looks like a bridging one's. The model tells them apart; the mean cannot.
    keep = fitted.counted_raters[community.raters]
    notes, values = community.notes[keep], community.values[keep]
    mean = np.bincount(notes, values, community.n_notes) / np.bincount(notes).clip(1)
    partisan_a = community.kind == PARTISAN_A
    assert np.count_nonzero(partisan_a & (mean >= 0.8)) >= 10
    assert not np.any(partisan_a & shown(fitted))


def test_bad_notes_are_rated_not_helpful_and_bridging_ones_never(community, fitted):
    statuses = fitted.statuses()
    bad = community.kind == BAD
    assert np.count_nonzero(statuses[bad] == NOT_HELPFUL) >= 0.9 * np.count_nonzero(bad)
    assert not np.any(statuses[~bad] == NOT_HELPFUL)


def test_the_rater_factor_finds_the_camps(community, fitted):
    counted = fitted.counted_raters
    correlation = np.corrcoef(fitted.rater_factors[counted], community.camp[counted])[0, 1]
    assert abs(correlation) >= 0.8
    # The sign is fixed as X fixes it: the larger group of raters is negative.
    assert np.count_nonzero(fitted.rater_factors[counted] < 0) > counted.sum() / 2
    assert np.mean(community.camp == 1) > 0.5 and correlation < 0


def test_partisan_notes_have_large_factors_and_bridging_ones_small(community, fitted):
    partisan = np.isin(community.kind, [PARTISAN_A, PARTISAN_B])
    assert np.median(np.abs(fitted.note_factors[partisan])) > scoring.HELPFUL_MAX_FACTOR
    bridging = community.kind == BRIDGING
    assert np.median(np.abs(fitted.note_factors[bridging])) < 0.2
    assert np.median(fitted.note_intercepts[bridging]) > scoring.HELPFUL_MIN_INTERCEPT


def test_the_shown_set_is_the_same_from_other_random_starts(community, fitted):
    other = fit(community, seed=7)
    assert np.array_equal(shown(other), shown(fitted))
    assert np.allclose(other.note_intercepts, fitted.note_intercepts, atol=1e-4)
    assert np.allclose(other.note_factors, fitted.note_factors, atol=1e-4)


def with_extra_note(data, raters, value=1.0):
    """``data`` plus one new note rated ``value`` by ``raters``."""
    note = data.n_notes
    return scoring.Planted(
        np.concatenate([data.raters, raters]),
        np.concatenate([data.notes, np.full(len(raters), note)]),
        np.concatenate([data.values, np.full(len(raters), value)]),
        data.camp,
        np.append(data.kind, BRIDGING),
    )


def test_a_note_needs_5_ratings_before_it_can_be_shown(community, fitted):
    counted = np.flatnonzero(fitted.counted_raters)
    side_a = counted[community.camp[counted] == 1]
    side_b = counted[community.camp[counted] == -1]
    four = with_extra_note(community, np.concatenate([side_a[:2], side_b[:2]]))
    result = fit(four)
    assert result.note_ratings[-1] == 4
    assert result.statuses()[-1] == NEEDS
    # The same note liked by 40 raters of both camps is shown: the rule is what held it.
    forty = with_extra_note(community, np.concatenate([side_a[:20], side_b[:20]]))
    assert fit(forty).statuses()[-1] == HELPFUL
    # And directly: however high its intercept, a note with 4 ratings is not shown.
    assert scoring.statuses([0.9, 0.9], [0.0, 0.0], [4, 5]).tolist() == [NEEDS, HELPFUL]
    assert scoring.statuses([-0.9], [0.0], [4], previous=[HELPFUL]).tolist() == [NEEDS]


def test_raters_with_too_few_ratings_do_not_count(community):
    # 30 newcomers who each rated only the new note, across both camps.
    newcomers = np.arange(community.n_raters, community.n_raters + 30)
    data = with_extra_note(community, newcomers)
    data = scoring.Planted(
        data.raters, data.notes, data.values, np.append(community.camp, [1, -1] * 15), data.kind
    )
    result = fit(data)
    assert result.note_ratings[-1] == 0
    assert not result.counted_raters[newcomers].any()
    assert result.statuses()[-1] == NEEDS
    assert fit(data, min_rater_ratings=1).note_ratings[-1] == 30


def test_hysteresis_keeps_a_shown_note_shown_just_under_the_bar():
    intercepts = [0.395, 0.395, 0.385, 0.395, 0.395, 0.41]
    factors = [0.1, 0.1, 0.1, 0.6, 0.1, -0.1]
    ratings = [10, 10, 10, 10, 4, 10]
    previous = [HELPFUL, NEEDS, HELPFUL, HELPFUL, HELPFUL, NOT_HELPFUL]
    assert scoring.statuses(intercepts, factors, ratings, previous=previous).tolist() == [
        HELPFUL,  # shown before, 0.005 under the bar: kept
        NEEDS,  # the same numbers, not shown before: not shown
        NEEDS,  # shown before but 0.015 under the bar: lost
        NEEDS,  # shown before, but the factor says it is partisan
        NEEDS,  # shown before, but too few ratings
        HELPFUL,  # over the bar: shown whatever it was before
    ]
    assert scoring.statuses(intercepts, factors, ratings).tolist()[:2] == [NEEDS, NEEDS]
    # Previous statuses may come as plain strings, e.g. from the database.
    assert scoring.statuses([0.395], [0.0], [9], previous=["helpful"]).tolist() == ["helpful"]
    with pytest.raises(ValueError, match="one status per note"):
        scoring.statuses([0.395], [0.0], [9], previous=["helpful", "helpful"])


def test_the_not_helpful_bar_falls_with_the_factor():
    # Not helpful when i_n < -0.05 - 0.8 |f_n|.
    statuses = scoring.statuses([-0.1, -0.1, -0.1, -0.14], [0.0, 0.1, -0.1, -0.1], [5] * 4)
    assert statuses.tolist() == [NOT_HELPFUL, NEEDS, NEEDS, NOT_HELPFUL]


def test_weights_only_their_ratios_matter_and_weight_0_is_no_rating(community, fitted):
    halved = fit(community, weights=np.full(community.values.size, 0.5))
    assert np.allclose(halved.note_intercepts, fitted.note_intercepts, atol=1e-5)
    # Weight 0 on a third of the ratings is the same as leaving them out.
    rng = np.random.default_rng(0)
    dropped = rng.random(community.values.size) < 1 / 3
    weighted = fit(community, weights=np.where(dropped, 0.0, 1.0))
    keep = ~dropped
    left_out = scoring.fit(
        community.raters[keep],
        community.notes[keep],
        community.values[keep],
        n_raters=community.n_raters,
        n_notes=community.n_notes,
    )
    assert np.allclose(weighted.note_intercepts, left_out.note_intercepts, atol=1e-9)
    assert np.array_equal(weighted.note_ratings, left_out.note_ratings)


def hidden_partisan_notes(community, fitted, count, seed=0):
    rng = np.random.default_rng(seed)
    notes = []
    for kind in (PARTISAN_A, PARTISAN_B):
        pool = np.flatnonzero((community.kind == kind) & ~shown(fitted))
        notes.extend(rng.choice(pool, count, replace=False).tolist())
    return notes


def test_fake_raters_at_weight_0_cannot_flip_a_note_that_they_flip_at_weight_1(community, fitted):
    note = hidden_partisan_notes(community, fitted, 1)[0]
    attacked = scoring.with_fake_raters(community, note, 40)
    fake = attacked.camp[attacked.raters] == 0
    at_one = fit(attacked)
    assert at_one.statuses()[note] == HELPFUL
    at_zero = fit(attacked, weights=np.where(fake, 0.0, 1.0))
    assert at_zero.statuses()[note] != HELPFUL
    assert np.allclose(at_zero.note_intercepts, fitted.note_intercepts, atol=1e-9)


def test_a_few_coordinated_fake_raters_cannot_flip_a_partisan_note(community, fitted):
    # The strongest simple attack: fakes who rate like the other camp, so the note seems
    # liked across the divide. bench.notes measures how many it takes (about 4-28 here:
    # 5 flip the few partisan notes already near the bar, which trust weights prevent).
    for note in hidden_partisan_notes(community, fitted, 8):
        attacked = scoring.with_fake_raters(community, note, 3, seed=note)
        assert fit(attacked).statuses()[note] != HELPFUL, note
        five = scoring.with_fake_raters(community, note, 5, seed=note)
        half_trust = np.where(five.camp[five.raters] == 0, 0.5, 1.0)
        assert fit(five, weights=half_trust).statuses()[note] != HELPFUL, note
    # Five at full trust cannot flip a typical partisan note (the median intercept).
    for kind in (PARTISAN_A, PARTISAN_B):
        pool = np.flatnonzero((community.kind == kind) & ~shown(fitted))
        typical = pool[np.argsort(fitted.note_intercepts[pool])[pool.size // 2]]
        attacked = scoring.with_fake_raters(community, typical, 5, seed=typical)
        assert fit(attacked).statuses()[typical] != HELPFUL, typical


def test_a_pile_on_from_the_notes_own_camp_does_not_flip_it(community, fitted):
    note = hidden_partisan_notes(community, fitted, 1)[0]
    own = 1 if community.kind[note] == PARTISAN_A else -1
    attacked = scoring.with_fake_raters(community, note, 200, imitate=own)
    assert fit(attacked).statuses()[note] != HELPFUL


def test_with_one_camp_silenced_no_partisan_note_is_shown(community):
    # With camp B at weight 0 the model sees no divide. It then shows nothing partisan
    # (it fails closed: the factor takes up what both kinds of liked note share).
    result = fit(community, weights=np.where(community.camp[community.raters] == -1, 0.0, 1.0))
    assert not np.any(shown(result) & (community.kind == PARTISAN_A))


def loss(params, u, n, r, w, n_raters, n_notes):
    """The documented loss, written out independently of the module."""
    mu = params[0]
    i_u, f_u = params[1 : 1 + n_raters], params[1 + n_raters : 1 + 2 * n_raters]
    i_n = params[1 + 2 * n_raters : 1 + 2 * n_raters + n_notes]
    f_n = params[1 + 2 * n_raters + n_notes :]
    error = r - mu - i_u[u] - i_n[n] - f_u[u] * f_n[n]
    # Means over the raters and notes that have ratings (the others' parameters go to 0).
    raters, notes = np.unique(u).size, np.unique(n).size
    return (
        (w * error**2).sum() / w.sum()
        + 0.15 * ((i_u @ i_u) / raters + (i_n @ i_n) / notes + mu**2)
        + 0.03 * ((f_u @ f_u) / raters + (f_n @ f_n) / notes)
    )


def test_the_fit_minimises_the_documented_loss():
    data = scoring.planted(40, 12, 200, seed=3)
    w = np.random.default_rng(1).uniform(0.2, 1.0, data.values.size)
    result = fit(data, weights=w, min_rater_ratings=1, tolerance=1e-10)
    args = (data.raters, data.notes, data.values, w, data.n_raters, data.n_notes)
    ours = np.concatenate(
        [
            [result.mu],
            result.rater_intercepts,
            result.rater_factors,
            result.note_intercepts,
            result.note_factors,
        ]
    )
    assert result.loss == pytest.approx(loss(ours, *args), rel=1e-9)
    start = np.random.default_rng(2).normal(0, 0.3, ours.size)
    theirs = minimize(loss, start, args=args, method="L-BFGS-B", options={"gtol": 1e-12}).x
    assert loss(ours, *args) <= loss(theirs, *args) + 1e-9
    assert np.allclose(np.abs(ours[-12:]), np.abs(theirs[-12:]), atol=1e-3)  # |f_n|
    assert np.allclose(ours[-24:-12], theirs[-24:-12], atol=1e-3)  # i_n


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="one rating per"):
        scoring.fit([0, 0], [1, 1], [1.0, 0.0])
    with pytest.raises(ValueError, match="between 0 and 1"):
        scoring.fit([0], [0], [2.0])
    with pytest.raises(ValueError, match="weights"):
        scoring.fit([0], [0], [1.0], weights=[-1.0])
    with pytest.raises(ValueError, match="same length"):
        scoring.fit([0, 1], [0], [1.0])
    with pytest.raises(ValueError, match="ids"):
        scoring.fit([0, 5], [0, 0], [1.0, 1.0], n_raters=3)


def test_no_ratings_means_no_status():
    result = scoring.fit([], [], [], n_raters=3, n_notes=2)
    assert result.statuses().tolist() == [NEEDS, NEEDS]
    assert result.rater_factors.shape == (3,) and result.note_intercepts.shape == (2,)


def test_planted_data_is_reproducible_and_has_one_rating_per_pair():
    first = scoring.planted(200, 40, 2000, seed=5)
    again = scoring.planted(200, 40, 2000, seed=5)
    assert np.array_equal(first.values, again.values) and np.array_equal(first.kind, again.kind)
    assert first.values.size == 2000
    assert np.unique(first.raters * 40 + first.notes).size == 2000
    assert set(np.unique(first.values)) == {0.0, 0.5, 1.0}
    assert set(first.kind) == set(scoring.KINDS)


def bench(*args):
    # A subprocess, so that ``bench`` imports however pytest was started.
    return subprocess.run(
        [sys.executable, "-m", "bench.notes", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_notes_benchmark_runs_and_writes_its_figures(tmp_path):
    small = ["--raters", "200", "--ratings", "2000", "--repeats", "1", "--attack-targets", "1"]
    done = bench(*small, "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "precision" in done.stdout and "fakes to flip" in done.stdout
    (written,) = tmp_path.glob("*-notes.json")
    result = json.loads(written.read_text())
    assert result["raters"] == 200 and result["fit_median_s"] > 0
    refused = bench("--raters", "10", "--out", str(tmp_path))
    assert refused.returncode == 2 and "--raters" in refused.stderr
