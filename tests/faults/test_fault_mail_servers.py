"""Faults of the servers around the service: the watcher killed, Dovecot down, SMTP refusing."""

from __future__ import annotations

import time

import pytest

from tests.faults.harness import Answers, arrive, crowd, failed_recipients, settle, wait_until

pytestmark = pytest.mark.servers


def test_the_watcher_killed_dovecot_down_and_smtp_refusing(deployment, imap, smtp, database_url) -> None:
    # 1. The watcher SIGKILLed while sign-ups arrive, then started again.
    people = crowd(50, tag="kill-watch")
    answers = Answers(smtp, people)
    arriving = arrive(imap, people)
    time.sleep(1.5)
    deployment.kill("watch")
    deployment.restart("watch")
    fault_over = time.monotonic()
    arriving.join()
    settle("SIGKILL of the watcher", deployment, answers, people, fault_over, database_url)

    # 2. Dovecot down for 10 s in the middle of the sign-ups.
    smtp.clear()
    people = crowd(50, tag="dovecot-down", first=50)
    answers = Answers(smtp, people)
    arrive(imap, people[:25]).join()
    imap.pause()
    time.sleep(10)
    imap.resume()
    fault_over = time.monotonic()
    arrive(imap, people[25:]).join()
    settle("Dovecot down for 10 s", deployment, answers, people, fault_over, database_url)

    # 3. SMTP answers 451 ten times, closes on us (421) five times, and refuses one mail for good.
    smtp.clear()
    smtp.fail_next(10, code=451)
    smtp.fail_next(5, code=421, reply="421 4.3.2 Service shutting down (test server)")
    smtp.fail_next(1, code=550, stage="data")
    people = crowd(50, tag="smtp-errors", first=100)
    answers = Answers(smtp, people)
    arrive(imap, people).join()
    wait_until("every failure played", lambda: smtp.failures_left() == 0, 30, deployment)
    fault_over = time.monotonic()
    answers.wait_for(len(people) - 1, timeout=60, deployment=deployment, then_stop=False)
    refused = failed_recipients(database_url)
    assert len(refused) == 1
    settle("SMTP 451, closed connections (421) and one 550", deployment, answers, people, fault_over,
           database_url, refused=refused)  # fmt: skip
