"""``porch demo`` from the command line, against a database nobody has migrated."""

from __future__ import annotations

import os
import subprocess
import sys


def test_an_unmigrated_database_gets_one_line_and_status_2(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PORCH_") and key != "DJANGO_SETTINGS_MODULE"
    }
    env["PORCH_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "porch.cli", "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "porch: run 'porch migrate' first"
    assert result.stdout == ""
