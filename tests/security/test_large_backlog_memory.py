"""Threat: memory follows the backlog (issue 8, item 11).

40 waiting 30 MB messages took the watcher to 1.4 GiB. Now sizes are asked for first (RFC822.SIZE),
large messages are fetched one at a time, and one over ANMALAN_MAX_MESSAGE_BYTES (default 25 MB) is
stored as its headers and text only. The numbers for 5 to 40 messages: bench/bench_backlog_memory.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.bench_backlog_memory import large_message
from tests.e2e.mails import at, mail
from tests.e2e.test_organiser_by_reply import Scene
from tests.security.limits_kit import open_scene

pytestmark = pytest.mark.servers

BACKLOG = 8
LATE_SIGNUP = "nils.bjork@ludvika.se"


@pytest.fixture(scope="module")
def scene(tmp_path_factory, dovecot, smtp_server, redis_server) -> Iterator[Scene]:
    backlog = [(large_message(n, 30), f"2024-08-12 08:{n:02d}") for n in range(BACKLOG)]
    small = mail(
        f"Nils Björk <{LATE_SIGNUP}>",
        "Anmälan lärprojektet",
        "Hej!\n\nJag anmäler mig till alla träffar.\n\nMvh Nils Björk\nLudvika kommun\n",
        sent=at("2024-08-12 09:00"),
    )
    waiting = [*backlog, (small, "2024-08-12 09:00")]
    yield from open_scene(
        tmp_path_factory, dovecot, smtp_server, redis_server, name="backlog", waiting=waiting
    )


def _peak_mib(pid: int) -> float:
    """A process's peak resident memory (VmHWM), in MiB."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    [line] = [line for line in status.splitlines() if line.startswith("VmHWM:")]
    return int(line.split()[1]) / 1024


def test_a_backlog_of_30_mb_messages_is_stored_capped_with_flat_memory_and_later_mail_is_answered(
    scene: Scene,
) -> None:
    scene.wait(LATE_SIGNUP, "Anmälan bekräftad")
    for n in range(BACKLOG):  # their text was kept: each sign-up was read and answered (seat or waitlist)
        scene.wait(f"person{n}@falun.se", f"Person Nummer{n}")
    with sqlite3.connect(scene.stack.tmp / "anmalan.sqlite3") as db:
        stored = db.execute("select length(raw), raw from inbox order by id").fetchall()
    cut = [length for length, raw in stored if b"X-Anmalan-Truncated: " in raw]
    assert len(cut) == BACKLOG and max(cut) <= 2_100_000, cut
    # 240 MB waited; the watcher held one message's first 2 MB at a time, not the backlog.
    peak = _peak_mib(scene.stack.procs["watch"].pid)
    assert peak < 400, f"watcher peak {peak:.0f} MiB"
