"""The fault harness: the service as deployed, a crowd of sign-ups, and a record of every answer.

Deployment is watch + two workers + beat on Redis and PostgreSQL (the table of issue 14); a fault is
injected from outside while the crowd's mail arrives, and the test reads what reached the SMTP server
and what the database says.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import ClassVar

from sqlalchemy import create_engine, text

from tests.e2e.stack import ANMALAN, REPO, Stack
from tests.servers import SmtpServer

FIRST = ("Anna", "Erik", "Karin", "Lars", "Eva", "Per", "Maria", "Johan", "Sara", "Anders")
LAST = ("Berg", "Lind", "Holm", "Sandberg", "Dahl", "Hedlund", "Strand", "Wallin", "Nyberg", "Sjöberg")
MUNICIPALITIES = (
    ("Falu kommun", "falun.se"),
    ("Mora kommun", "mora.se"),
    ("Leksands kommun", "leksand.se"),
    ("Rättviks kommun", "rattvik.se"),
    ("Orsa kommun", "orsa.se"),
    ("Borlänge kommun", "borlange.se"),
    ("Ludvika kommun", "ludvika.se"),
    ("Avesta kommun", "avesta.se"),
    ("Hedemora kommun", "hedemora.se"),
    ("Gagnefs kommun", "gagnef.se"),
)
FINAL_INBOX = {"processed", "ignored", "failed", "duplicate"}
FINAL_OUTBOX = {"sent", "failed"}
RECOVERY_LIMIT = 10.0  # seconds, issue 14


@dataclass(frozen=True)
class Person:
    name: str
    address: str
    raw: bytes


def crowd(count: int, *, tag: str) -> list[Person]:
    """`count` different people from Dalarna's municipalities, each sending one sign-up."""
    people = []
    names = itertools.product(FIRST, LAST)
    for n, ((first, last), (municipality, domain)) in enumerate(
        zip(names, itertools.cycle(MUNICIPALITIES), strict=False)
    ):
        if n == count:
            break
        ascii_last = last.replace("ö", "o")
        address = f"{first.lower()}.{ascii_last.lower()}@{domain}"
        raw = (
            f"From: {first} {last} <{address}>\r\nTo: anmalan.dalalab@regiondalarna.se\r\n"
            f"Subject: =?utf-8?q?Anm=C3=A4lan?=\r\nMessage-ID: <fault-{tag}-{n}@{domain}>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n"
            f"Hej! Jag anmäler mig till alla träffar.\r\n\r\nMvh\r\n{first} {last}\r\n"
            f"Planarkitekt\r\n{municipality}\r\n"
        ).encode()
        people.append(Person(f"{first} {last}", address, raw))
    return people


class Deployment(Stack):
    """Processes named by part; "worker-1" and "worker-2" are two `anmalan worker` processes."""

    SIGNS: ClassVar[dict[str, str]] = {
        "watch": "connected to",
        "worker": "ready.",
        "beat": "beat: Starting",
        "run": "läser",
    }

    def start(self, *parts: str) -> Deployment:
        for part in parts:
            log = open(self.tmp / f"{part}.log", "ab")  # noqa: SIM115 - lives as long as the process
            self.procs[part] = subprocess.Popen(
                [*ANMALAN, part.split("-")[0]],
                cwd=REPO,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def wait_ready(self, timeout: float = 60.0, parts: tuple[str, ...] | None = None) -> Deployment:
        deadline = time.monotonic() + timeout
        while True:
            pending = [
                part
                for part in (parts or tuple(self.procs))
                if self.SIGNS[part.split("-")[0]]
                not in (self.tmp / f"{part}.log").read_text(errors="replace")
            ]
            if not pending:
                return self
            if time.monotonic() > deadline:
                raise AssertionError(f"not ready after {timeout} s: {pending}\n{self.logs()}")
            time.sleep(0.1)

    def kill(self, *parts: str) -> None:
        """SIGKILL each part's whole process group, as an operator's `kill -9 -PGID` or the OOM killer."""
        for part in parts:
            proc = self.procs.pop(part)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def restart(self, *parts: str) -> None:
        """Start again and wait until each part is ready: the log is read from the restart on."""
        sizes = {p: (self.tmp / f"{p}.log").stat().st_size for p in parts}
        self.start(*parts)
        deadline = time.monotonic() + 60
        while any(
            self.SIGNS[p.split("-")[0]] not in (self.tmp / f"{p}.log").read_text(errors="replace")[sizes[p] :]
            for p in parts
        ):
            if time.monotonic() > deadline:
                raise AssertionError(f"{parts} not ready again:\n{self.logs()}")
            time.sleep(0.1)

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-6000:]}" for p in sorted(self.tmp.glob("*.log"))
        )


@dataclass
class Answers:
    """When each answer reached the SMTP server, seen by polling it every 50 ms."""

    smtp: SmtpServer
    arrivals: list[tuple[float, str]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        seen = 0
        while not self._stop.is_set():
            messages = self.smtp.messages
            now = time.monotonic()
            for message in messages[seen:]:
                self.arrivals.extend((now, rcpt) for rcpt in message.rcpt_tos)
            seen = len(messages)
            time.sleep(0.05)

    def count(self) -> int:
        return len(self.arrivals)

    def wait_for(self, count: int, timeout: float, deployment: Deployment) -> None:
        deadline = time.monotonic() + timeout
        while self.count() < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{self.count()} of {count} answers after {timeout} s\n{deployment.logs()}"
                )
            time.sleep(0.1)
        time.sleep(1.0)  # long enough for a duplicate to show up, if one were coming
        self._stop.set()

    def recovery(self, fault_over: float) -> float:
        """The longest wait for the next answer after the fault was over: 0 when nothing was left."""
        times = [fault_over, *sorted(t for t, _ in self.arrivals if t >= fault_over)]
        return max((b - a for a, b in itertools.pairwise(times)), default=0.0)

    def per_person(self) -> Counter[str]:
        return Counter(rcpt for _, rcpt in self.arrivals)


def arrive(dovecot, people: list[Person], *, every: float = 0.05) -> threading.Thread:
    """APPEND the crowd's sign-ups in a background thread, one every `every` seconds."""
    start = datetime.fromisoformat("2024-08-13T09:00:00+02:00")

    def run() -> None:
        for n, person in enumerate(people):
            dovecot.append(person.raw, internaldate=start + timedelta(seconds=n))
            time.sleep(every)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def rows_left_unfinished(database_url: str) -> dict[str, list]:
    """Inbox and outbox rows not in a final state (none may be, once the run is over)."""
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            inbox = connection.execute(text("SELECT id, status FROM inbox")).all()
            outbox = connection.execute(text("SELECT id, status FROM outbox")).all()
    finally:
        engine.dispose()
    return {
        "inbox": [r for r in inbox if r.status not in FINAL_INBOX],
        "outbox": [r for r in outbox if r.status not in FINAL_OUTBOX],
    }


def record(name: str, people: int, answered: int, duplicates: int, recovery: float) -> None:
    """One line per fault in test-artifacts/faults.txt: the table of issue 14, measured again."""
    folder = REPO / "test-artifacts"
    folder.mkdir(exist_ok=True)
    with open(folder / "faults.txt", "a") as out:
        out.write(f"{name}\t{answered}/{people}\t{duplicates}\t{recovery:.1f} s\n")
