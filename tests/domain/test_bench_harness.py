"""A tiny run of the benchmark harness, so that `make bench` cannot rot."""

import json

from bench import rankers


def test_the_ranker_benchmark_runs_and_writes_its_figures(tmp_path):
    assert rankers.main(["--candidates", "30", "--repeats", "3", "--out", str(tmp_path)]) == 0
    (written,) = tmp_path.glob("*-rankers.json")
    result = json.loads(written.read_text())
    assert result["candidates"] == 30
    assert result["conversation_median_ms"] > 0 and result["chronological_median_ms"] > 0
    assert result["ratio"] > 0


def test_bad_sizes_are_refused(tmp_path, capsys):
    assert rankers.main(["--candidates", "0", "--out", str(tmp_path)]) == 2
    assert "at least 1" in capsys.readouterr().err
