"""Faults of the workers: SIGKILLed mid-run, while mails wait for a retry, and while SMTP is slow."""

from __future__ import annotations

import time

import pytest

from tests.faults.harness import Answers, arrive, crowd, outbox_count, settle, wait_until

pytestmark = pytest.mark.servers
WORKERS = ("worker-1", "worker-2")


def test_killed_workers_lose_and_double_nothing(deployment, imap, smtp, database_url) -> None:
    # 1. A worker's whole process group SIGKILLed three times while sign-ups arrive.
    people = crowd(60, tag="kill-3x")
    answers = Answers(smtp, people)
    arriving = arrive(imap, people)
    for victim in ("worker-1", "worker-2", "worker-1"):
        time.sleep(1.5)
        deployment.kill(victim)
        deployment.start(victim)  # as compose or systemd would, without waiting for it
    deployment.wait_ready(parts=WORKERS)
    fault_over = time.monotonic()
    arriving.join()
    settle("SIGKILL of a worker's process group, 3 times", deployment, answers, people, fault_over,
           database_url)  # fmt: skip

    # 2. Both workers SIGKILLed while every mail waits for an SMTP retry (0 of 40 were ever sent before).
    smtp.clear()
    smtp.fail_next(100_000, code=451)
    people = crowd(50, tag="kill-retry", first=60)
    answers = Answers(smtp, people)
    arrive(imap, people).join()
    wait_until(
        "every answer waits for a retry",
        lambda: outbox_count(database_url, "awaiting_retry") >= len(people),
        30,
        deployment,
    )
    deployment.kill(*WORKERS)
    smtp.clear()  # the SMTP server is well again, but nobody holds a countdown any more
    deployment.restart(*WORKERS)
    fault_over = time.monotonic()
    settle("SIGKILL of both workers while mails wait for a retry", deployment, answers, people, fault_over,
           database_url)  # fmt: skip

    # 3. Both workers SIGKILLed while the SMTP server is slow to answer: mails were `inflight`.
    smtp.clear()
    smtp.slow_down(5.0)
    people = crowd(50, tag="kill-slow", first=110)
    answers = Answers(smtp, people)
    arrive(imap, people).join()
    wait_until("mails in flight", lambda: outbox_count(database_url, "inflight") >= 2, 30, deployment)
    deployment.kill(*WORKERS)
    smtp.slow_down(0)
    deployment.restart(*WORKERS)
    fault_over = time.monotonic()
    settle("SIGKILL of both workers while the SMTP server is slow", deployment, answers, people, fault_over,
           database_url)  # fmt: skip
    assert "no longer running" in deployment.logs(full=True)  # their leases were ended, not waited out
