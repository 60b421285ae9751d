"""The embedded default (SQLite, the serverless broker, a Maildir) as `anmalan run`, SIGKILLed twice."""

from __future__ import annotations

import mailbox
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.e2e.stack import ANMALAN, REPO
from tests.faults.harness import (
    RECOVERY_LIMIT,
    Answers,
    crowd,
    descendants,
    record,
    rows_left_unfinished,
    running,
)

pytestmark = pytest.mark.servers
READY = " ready."  # the worker's "celery@<host> ready." line


def start_run(tmp: Path, env: dict[str, str]) -> subprocess.Popen:
    log = open(tmp / "run.log", "ab")  # noqa: SIM115 - lives as long as the process
    return subprocess.Popen(
        [*ANMALAN, "run"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_for_worker(run: subprocess.Popen, timeout: float = 60) -> set[int]:
    """The processes below `run` once its Celery worker runs."""
    deadline = time.monotonic() + timeout
    while not (tree := descendants(run.pid)):
        assert run.poll() is None and time.monotonic() < deadline, "run started no worker"
        time.sleep(0.1)
    return tree


def test_sigkill_of_the_whole_run_twice_leaves_no_worker_behind(tmp_path: Path, smtp) -> None:
    data = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANMALAN_")}
    # The embedded default, except that answers go to the test's SMTP server, where they are counted.
    env.update(
        PYTHONUNBUFFERED="1",
        ANMALAN_DATA_DIR=str(data),
        ANMALAN_EVENT=str(REPO / "config/events/dalalab-2024.yaml"),
        ANMALAN_NOW="2024-08-13T10:00:00+02:00",
        ANMALAN_SMTP_HOST=smtp.host,
        ANMALAN_SMTP_PORT=str(smtp.port),
        ANMALAN_SMTP_STARTTLS="false",
    )
    people = crowd(60, tag="run-kill")
    answers = Answers(smtp, people)
    data.mkdir()
    maildir = mailbox.Maildir(data / "mailbox", create=True)

    def arrive() -> None:
        for person in people:
            maildir.add(person.raw)
            time.sleep(0.05)

    run = start_run(tmp_path, env)
    try:
        wait_for_worker(run)
        threading.Thread(target=arrive, daemon=True).start()
        for kill in (10, 25):  # while answers go out: after the 10th, and after the 25th
            answers.wait_for(kill, timeout=60, deployment=_Logs(tmp_path), then_stop=False)
            tree = wait_for_worker(run)
            os.killpg(run.pid, signal.SIGKILL)  # the group of `run` alone: its worker is in its own
            run.wait()
            deadline = time.monotonic() + 5
            while running(tree) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not running(tree), f"outlived the killed run: {running(tree)}"
            readies = _Logs(tmp_path).logs().count(READY)
            restarted = time.monotonic()
            run = start_run(tmp_path, env)
            # Recovery counts from the moment the new worker is ready: Python's start-up on a busy
            # machine is not the service's to shorten.
            while _Logs(tmp_path).logs().count(READY) == readies:
                assert run.poll() is None, _Logs(tmp_path).logs()
                time.sleep(0.05)
            fault_over = time.monotonic()
        answers.wait_for(len(people), timeout=90, deployment=_Logs(tmp_path))
        # One worker after the restarts, never two: the new run's only child, and nothing else left.
        workers = Path(f"/proc/{run.pid}/task/{run.pid}/children").read_text().split()
    finally:
        os.killpg(run.pid, signal.SIGTERM)
        run.wait(timeout=60)

    per_person = answers.per_person()
    recovery = answers.recovery(fault_over)
    record("SIGKILL of the whole anmalan run (embedded), twice", len(people), len(per_person),
           sum(per_person.values()) - len(per_person), recovery, answers.recovery(restarted))  # fmt: skip
    assert per_person == {p.address: 1 for p in people}
    assert rows_left_unfinished(f"sqlite:///{data / 'anmalan.sqlite3'}") == {"inbox": [], "outbox": []}
    assert recovery <= RECOVERY_LIMIT, _Logs(tmp_path).logs()
    assert len(workers) == 1


class _Logs:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp

    def logs(self) -> str:
        return (self.tmp / "run.log").read_text(errors="replace")
