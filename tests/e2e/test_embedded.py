"""The embedded default: no servers at all, a Maildir in and a folder of .eml files out."""

from __future__ import annotations

import email
import email.policy
import json
import mailbox
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.e2e.stack import REPO

ANMALAN = [sys.executable, "-m", "worker.cli"]


def assert_first_screen_is_ours(output: str) -> None:
    """No Celery banner, no SecurityWarning page, no line per task; as root, one line of our own says so."""
    assert "-------------- celery@" not in output and "[config]" not in output
    assert "SecurityWarning" not in output and "superuser privileges" not in output
    assert "Task anmalan." not in output
    assert output.count("running as root") == (1 if os.geteuid() == 0 else 0)


def embedded_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANMALAN_")}
    env.update({"ANMALAN_DATA_DIR": str(data_dir), **extra})
    return env


def test_demo_registers_the_samples_and_writes_confirmations(tmp_path: Path) -> None:
    env = embedded_env(tmp_path)
    done = subprocess.run([*ANMALAN, "demo"], cwd=REPO, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert_first_screen_is_ours(done.stdout + done.stderr)
    demo = tmp_path / "demo"
    listed = subprocess.run(
        [*ANMALAN, "list", "--json"],
        cwd=REPO,
        env={**env, "ANMALAN_DATA_DIR": str(demo)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    regs = [json.loads(line) for line in listed.stdout.splitlines()]
    names = {r["name"] for r in regs}
    assert {"Anna Lindqvist", "Helen Sandberg", "Tomas Grahn", "Åsa Lind", "Per Ek"} <= names
    per_ek = next(r for r in regs if r["name"] == "Per Ek")
    assert per_ek["meetings"]["1"] == "waitlisted"  # Ludvika's three seats were taken
    sent = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in (demo / "outgoing").glob("*.eml")
    ]
    to = {m["To"] for m in sent}
    assert {"anna.lindqvist@falun.se", "per.ek@ludvika.se"} <= to
    assert str(demo / "outgoing") in done.stdout


def test_run_takes_mail_from_the_maildir_and_stops_cleanly(tmp_path: Path) -> None:
    env = embedded_env(tmp_path, ANMALAN_NOW="2024-08-12T12:00:00+02:00")
    proc = subprocess.Popen(
        [*ANMALAN, "run"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        raw = (REPO / "worker/samples/01-falun.eml").read_bytes()
        mailbox.Maildir(tmp_path / "mailbox", create=True).add(raw)
        outgoing = tmp_path / "outgoing"
        deadline = time.monotonic() + 60

        def answers() -> list[str]:
            # The organisers' digest may come too, when the real clock passes a quarter hour.
            sent = (
                email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
                for p in outgoing.glob("*.eml")
            )
            return [m["To"] for m in sent if m["To"] != "johanna.tangnas@regiondalarna.se"]

        while not answers() and time.monotonic() < deadline:
            assert proc.poll() is None, proc.stdout.read().decode()
            time.sleep(0.3)
        assert answers() == ["anna.lindqvist@falun.se"]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        output = proc.communicate(timeout=60)[0].decode()
    assert proc.returncode == 0, output
    assert "Traceback" not in output
    assert "stopped" in output
    assert_first_screen_is_ours(output)


def children_of(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def next_worker(proc: subprocess.Popen, not_one_of: set[int], timeout: float = 30) -> int:
    """The pid of the Celery worker `run` started, once it is a new one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        fresh = [c for c in children_of(proc.pid) if c not in not_one_of]
        if fresh:
            return fresh[0]
        assert proc.poll() is None, proc.stdout.read().decode()
        time.sleep(0.1)
    raise AssertionError("run started no new worker")


def test_run_starts_its_worker_again_and_stops_only_on_a_crash_loop(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [*ANMALAN, "run"],
        cwd=REPO,
        env=embedded_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        seen: set[int] = set()
        for _ in range(4):
            worker = next_worker(proc, seen)
            seen.add(worker)
            os.kill(worker, signal.SIGKILL)
        worker = next_worker(proc, seen)
        assert children_of(proc.pid) == [worker]  # one worker after each restart, never two
        os.kill(worker, signal.SIGKILL)  # the fifth crash within a minute
        output = proc.communicate(timeout=60)[0].decode()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 1
    assert output.count("starting it again") == 4
    [loop] = [line for line in output.splitlines() if "crashed" in line]
    assert loop == "anmalan: the Celery worker crashed 5 times within 60 s (last exit -9); stopping"
    assert "Traceback" not in output
    for pid in seen | {worker}:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
