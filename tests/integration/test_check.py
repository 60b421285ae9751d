"""`anmalan check` against real servers: what works is ok, what does not is named, passwords never shown."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.stack import ANMALAN, REPO, Stack

pytestmark = pytest.mark.servers


def check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([*ANMALAN, "check"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def test_check_reaches_every_configured_server(tmp_path: Path, imap, smtp, redis_server) -> None:
    imap.append(b"From: a@falun.se\r\nSubject: x\r\n\r\nHej\r\n")
    done = check(Stack(tmp_path, imap, smtp, redis_server).env)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(
        line.startswith("ok   mailbox: imap://") and "1 messages" in line and "IDLE" in line for line in lines
    )
    assert any(line.startswith("ok   mail server: 127.0.0.1:") for line in lines)
    assert any(line.startswith("ok   broker: redis://") for line in lines)
    assert imap.password not in done.stdout


def test_check_names_what_fails_without_a_traceback(tmp_path: Path, imap, smtp, redis_server) -> None:
    env = Stack(tmp_path, imap, smtp, redis_server).env
    env["ANMALAN_IMAP_PASSWORD"] = "fel-lösenord-123"
    env["ANMALAN_SMTP_PORT"] = "1"  # nothing listens there
    done = check(env)
    assert done.returncode == 1
    assert "FAIL mailbox:" in done.stdout and "FAIL mail server:" in done.stdout
    assert "ok   broker:" in done.stdout
    assert "fel-lösenord-123" not in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
