"""Several processes starting at once on an empty database (compose's `--scale worker=3` on a new volume)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO

PROCESSES = 4

# One process of the service: wait for the common start instant, come up (the schema upgrade happens here),
# then serve: store and decide one sign-up of its own, and read back every registration there is.
START_AND_SERVE = """
import sys, time
from datetime import datetime
from store import inbox
from store.registrations import registrations
from worker.bootstrap import build
from worker.pipeline import process
from worker.settings import Settings

url, data_dir, event, start, n = sys.argv[1:]
while time.time() < float(start):
    pass
svc = build(Settings(database_url=url, data_dir=data_dir, event=event))
raw = (
    f"From: Person {n} <person{n}@falun.se>\\r\\nTo: anmalan.dalalab@regiondalarna.se\\r\\n"
    f"Subject: =?utf-8?q?Anm=C3=A4lan?=\\r\\nMessage-ID: <race-{n}@falun.se>\\r\\nMIME-Version: 1.0\\r\\n"
    "Content-Type: text/plain; charset=utf-8\\r\\nContent-Transfer-Encoding: 8bit\\r\\n\\r\\n"
    f"Hej! Jag anmäler mig till träff 1.\\r\\n\\r\\nMvh\\r\\nPerson {n}\\r\\nPlanarkitekt\\r\\nFalu kommun\\r\\n"
).encode()
now = datetime.fromisoformat("2024-08-12T10:00:00+02:00")
with svc.db.unit_of_work() as session:
    row = inbox.store_raw(session, mailbox="race", uidvalidity=1, uid=n, raw=raw, received_at=now, now=now)
process(svc, row.id)
with svc.db.unit_of_work() as session:
    print(len(registrations(session, svc.event.slug)))
"""


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.servers), "sqlite"])
def test_processes_started_at_the_same_instant_on_an_empty_database_all_come_up_and_serve(
    backend: str, request, tmp_path: Path
) -> None:
    if backend == "postgresql":
        url = request.getfixturevalue("postgres").fresh_database("startup_race")
    else:
        url = f"sqlite:///{tmp_path / 'race.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANMALAN_")}
    start = time.time() + 3.0  # all of them are running (interpreters loaded) before the instant
    argv = [url, str(tmp_path / "var"), str(REPO / "config/events/dalalab-2024.yaml"), str(start)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", START_AND_SERVE, *argv, str(n)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(1, PROCESSES + 1)
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    for code, _out, err in results:
        assert code == 0, err[-3000:]
    # Each served its own sign-up; the last to finish saw all of them.
    assert max(int(out.split()[-1]) for _code, out, _err in results) == PROCESSES
