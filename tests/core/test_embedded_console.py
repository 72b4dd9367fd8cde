"""The console on the embedded tier: after `make run`, `.venv/bin/wulian …` works in the
checkout without exporting SECRET_KEY — the settings read `var/secret_key` (the key `make run`
wrote) when the variable is unset. `.ci/run` runs the real commands from a fresh clone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _run(var_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["WULIAN_VAR_DIR"] = str(var_dir)
    return subprocess.run(  # noqa: S603 - our own command line, no shell
        [sys.executable, "-m", "wulian", *args],
        env=env,
        cwd=var_dir.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_console_commands_read_the_embedded_secret_key(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    (var / "secret_key").write_text("embedded-tier-secret-key-0123456789-abcdefghijklmnop\n")
    done = _run(var, "check")
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


def test_without_the_key_file_the_message_says_what_is_missing(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    done = _run(var, "check")
    assert done.returncode != 0
    assert "SECRET_KEY is required but not set" in done.stderr
