"""A tiny end-to-end run of the HTTP load harness (``bench.load``): seed, ``porch serve``,
the floor, wrk, the figures and the growth chart, so ``make bench`` cannot rot.

It runs on the backend the suite runs on: SQLite, or PostgreSQL (with Redis) when
``PORCH_DATABASE_URL`` is set. wrk is Debian's; CI installs it (``.ci/run``), elsewhere
the test skips without it.
"""

import json
import os
import shutil

import pytest

from bench import load

pytestmark = pytest.mark.skipif(
    shutil.which("wrk") is None and os.environ.get("CI", "").lower() != "true",
    reason="wrk is not installed (apt-get install -y wrk)",
)

BACKEND = "postgres" if os.environ.get("PORCH_DATABASE_URL") else "sqlite"


def test_a_tiny_run_serves_real_requests_and_writes_the_figures(tmp_path):
    out = tmp_path / "results"
    code = load.main(
        [
            "--backend", BACKEND,
            "--members", "40",
            "--duration", "1",
            "--connections", "2",
            "--growth-members", "40",
            "--scenarios", "home_feed,home_feed_next,thread,notifications,create_post,create_reply,mixed",
            "--out", str(out),
            "--work", str(tmp_path / "work"),
        ]
    )  # fmt: skip
    assert code == 0
    (written,) = out.glob(f"*-{BACKEND}.json")
    result = json.loads(written.read_text())
    assert result["backend"] == BACKEND and result["members"] == 40
    for name in ("home_feed", "thread", "create_post", "notifications", "mixed"):
        figures = result["scenarios"][name]
        assert figures["errors"] == 0, (name, figures)
        assert figures["floor_errors"] == 0, (name, figures)
        assert figures["rps"] > 0 and figures["floor_rps"] > 0
        assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"]
    assert result["peak_rss_mb"] > 20
    # The probes (100, 1,000 and 5,000 friends capped at 40 - 4 members) and the chart.
    assert {row["friends"] for row in result["growth"]} == {10, 36}
    assert list(out.glob(f"*-{BACKEND}-growth.png"))


def test_unknown_scenarios_are_refused(capsys):
    with pytest.raises(SystemExit) as exit_:
        load.main(["--scenarios", "home_feed,teleport"])
    assert exit_.value.code == 2
    assert "unknown scenarios: teleport" in capsys.readouterr().err
