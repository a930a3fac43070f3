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


def test_the_simulation_benchmark_runs_and_writes_its_figures(tmp_path):
    from bench import simulation

    assert (
        simulation.main(
            ["--members", "150", "--seeds", "1", "--growth", "100", "--out", str(tmp_path)]
        )
        == 0
    )
    (written,) = tmp_path.glob("*-simulation.json")
    summary = json.loads(written.read_text())
    assert [row["members"] for row in summary["growth"]] == [100, 150]
    assert summary["reed98"]["members"] == 962
    assert set(summary["clustered"]["rankers"]) == {"chronological", "conversation", "engagement"}
    (folder,) = tmp_path.glob("*-simulation")
    assert (folder / "clustered-150" / "results.png").exists()
    assert simulation.main(["--growth", "ten", "--out", str(tmp_path)]) == 2


def test_the_hostility_benchmark_runs(capsys):
    from bench import hostility

    assert hostility.main([]) == 0
    out = capsys.readouterr().out
    assert "<- the nudge" in out and "precision" in out
    assert hostility.main(["--threshold", "2"]) == 2


def test_the_notes_benchmark_runs_and_writes_its_figures(tmp_path, capsys):
    from bench import notes

    args = ["--raters", "300", "--ratings", "3000", "--repeats", "1", "--attack-targets", "1"]
    assert notes.main([*args, "--out", str(tmp_path)]) == 0
    (written,) = tmp_path.glob("*-notes.json")
    assert json.loads(written.read_text())
    assert notes.main(["--raters", "0", "--out", str(tmp_path)]) == 2
