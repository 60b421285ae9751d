"""What an operator sees when something is wrong: one clear line and an exit status, never a traceback."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.e2e.stack import ANMALAN, REPO


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ANMALAN_")}
    return {**clean, "ANMALAN_DATA_DIR": str(tmp_path)}


def anmalan(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*ANMALAN, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("args", "extra_env", "status", "says"),
    [
        (["parse", "--json", "missing.eml"], {}, 1, "missing.eml: No such file or directory"),
        (["list", "--bogus"], {}, 2, "No such option: --bogus"),
        (["show", "NOPE42"], {}, 1, "ingen anmälan med referensen 'NOPE42'"),
        (["export"], {}, 2, "give --xlsx FILE and/or --csv FILE"),
        (["digest"], {}, 2, "give --send, or --preview FILE.html"),
        (["list"], {"ANMALAN_IMAP_PORT": "imap"}, 2, "ANMALAN_IMAP_PORT"),
        (["list"], {"ANMALAN_EVENT": "config/events/saknas.yaml"}, 2, "ANMALAN_EVENT: no such file"),
        (["list"], {"ANMALAN_NOW": "igår"}, 2, "ANMALAN_NOW"),
    ],
)
def test_a_mistake_gets_one_clear_line(env, args, extra_env, status, says) -> None:
    done = anmalan({**env, **extra_env}, *args)
    assert done.returncode == status, done.stdout + done.stderr
    assert says in " ".join((done.stdout + done.stderr).split())
    assert "Traceback" not in done.stdout + done.stderr


def test_a_broken_event_file_names_the_field(env, tmp_path: Path) -> None:
    bad = tmp_path / "event.yaml"
    bad.write_text(
        (REPO / "config/events/dalalab-2024.yaml")
        .read_text()
        .replace("cap_per_municipality: 3", "cap_per_municipality: 0")
    )
    done = anmalan({**env, "ANMALAN_EVENT": str(bad)}, "check")
    assert done.returncode == 2
    assert str(bad) in done.stderr
    assert "cap_per_municipality: Input should be greater than or equal to 1" in done.stderr
    assert "Traceback" not in done.stderr
