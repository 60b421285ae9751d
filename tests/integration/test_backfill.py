"""`anmalan backfill` reads a whole existing mailbox once, shows progress, and changes nothing the second time."""

from __future__ import annotations

import json
import mailbox
import os
import subprocess
from pathlib import Path

from tests.e2e.stack import ANMALAN, REPO

COUNT = 120


def signup(n: int) -> bytes:
    return (
        f"From: Person {n} <person{n}@falun.se>\r\nTo: anmalan.dalalab@regiondalarna.se\r\n"
        f"Subject: =?utf-8?q?Anm=C3=A4lan?=\r\nMessage-ID: <backfill-{n}@falun.se>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        f"Hej! Jag anmäler mig till träff 1.\r\n\r\nMvh\r\nPerson {n}\r\nPlanarkitekt\r\nFalu kommun\r\n"
    ).encode()


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*ANMALAN, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)


def test_backfill_reads_everything_once_with_progress(tmp_path: Path) -> None:
    box = mailbox.Maildir(tmp_path / "mailbox", create=True)
    for n in range(COUNT):
        box.add(signup(n))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANMALAN_")}
    env.update(
        ANMALAN_DATA_DIR=str(tmp_path), ANMALAN_NOW="2024-08-12T10:00:00+02:00", ANMALAN_LOG_LEVEL="WARNING"
    )

    first = run(env, "backfill")
    assert first.returncode == 0, first.stderr[-2000:]
    # each bar on its own: one stored message is one step of "läser brevlådan", not two
    reading = [line for line in first.stderr.splitlines() if "läser brevlådan" in line]
    deciding = [line for line in first.stderr.splitlines() if "tolkar och beslutar" in line]
    assert reading and f" {COUNT}/{COUNT} " in reading[-1], reading
    assert deciding and f" {COUNT}/{COUNT} " in deciding[-1], deciding
    assert f"{COUNT} meddelanden behandlade" in first.stdout
    regs = [json.loads(line) for line in run(env, "list", "--json").stdout.splitlines()]
    assert len(regs) == COUNT
    seats = [r["meetings"]["1"] for r in regs]
    assert seats.count("confirmed") == 3 and seats.count("waitlisted") == COUNT - 3  # Falun's cap

    again = run(env, "backfill")
    assert again.returncode == 0
    assert "0 meddelanden behandlade" in again.stdout
    assert len(run(env, "list", "--json").stdout.splitlines()) == COUNT
