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
from pathlib import Path
from typing import ClassVar

from sqlalchemy import create_engine, text

from tests.e2e.stack import ANMALAN, REPO, Stack
from tests.servers import SmtpServer

FIRST = (
    "Anna", "Erik", "Karin", "Lars", "Eva", "Per", "Maria", "Johan", "Sara", "Anders",
    "Lena", "Mikael", "Emma", "Jonas", "Ingrid", "Olof", "Kristina", "Magnus", "Helena", "Nils",
)  # fmt: skip
LAST = (
    "Berg", "Lind", "Holm", "Sandberg", "Dahl", "Hedlund", "Strand", "Wallin", "Nyberg", "Sjöberg",
    "Ek", "Forsberg", "Nord", "Lundin", "Hägg", "Björk", "Ström", "Eklund", "Falk", "Grahn",
)  # fmt: skip
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


def crowd(count: int, *, tag: str, first: int = 0) -> list[Person]:
    """`count` different people from Dalarna's municipalities, each sending one sign-up; `first` skips
    as many, so that two crowds in one run are different people."""
    people = []
    pairs = itertools.islice(itertools.product(FIRST, LAST), first, first + count)
    for n, (given, family) in enumerate(pairs, start=first):
        municipality, domain = MUNICIPALITIES[n % len(MUNICIPALITIES)]
        plain = family.translate(str.maketrans("åäöÅÄÖ", "aaoAAO")).lower()
        address = f"{given.lower()}.{plain}@{domain}"
        raw = (
            f"From: {given} {family} <{address}>\r\nTo: anmalan.dalalab@regiondalarna.se\r\n"
            f"Subject: =?utf-8?q?Anm=C3=A4lan?=\r\nMessage-ID: <fault-{tag}-{n}@{domain}>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n"
            f"Hej! Jag anmäler mig till alla träffar.\r\n\r\nMvh\r\n{given} {family}\r\n"
            f"Planarkitekt\r\n{municipality}\r\n"
        ).encode()
        people.append(Person(f"{given} {family}", address, raw))
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
        self._offsets = getattr(self, "_offsets", {})
        for part in parts:
            path = self.tmp / f"{part}.log"
            self._offsets[part] = path.stat().st_size if path.exists() else 0  # ready-signs from now on
            log = open(path, "ab")  # noqa: SIM115 - lives as long as the process
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
        """Until each part (by default all) says it is ready since it was last started."""
        deadline = time.monotonic() + timeout
        while True:
            pending = [
                part
                for part in (parts or tuple(self.procs))
                if self.SIGNS[part.split("-")[0]].encode()
                not in (self.tmp / f"{part}.log").read_bytes()[self._offsets[part] :]
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
        """Start again and wait until each part is ready."""
        self.start(*parts).wait_ready(parts=parts)

    def logs(self, *, full: bool = False) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[0 if full else -6000 :]}"
            for p in sorted(self.tmp.glob("*.log"))
        )


@dataclass
class Answers:
    """When each answer to `people` reached the SMTP server, seen by polling it every 50 ms.

    Mail to anyone else is not an answer: the organisers' digest comes whenever the real clock passes
    a quarter hour, and a test that counted it would fail by the time of day it ran."""

    smtp: SmtpServer
    people: list[Person]
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
        return len(self._counted())

    def _counted(self) -> list[tuple[float, str]]:
        crowd = {p.address for p in self.people}
        return [a for a in self.arrivals if a[1] in crowd]

    def wait_for(self, count: int, timeout: float, deployment, *, then_stop: bool = True) -> None:
        """Until `count` answers came; then (unless told otherwise) a second more, and stop watching."""
        deadline = time.monotonic() + timeout
        while self.count() < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{self.count()} of {count} answers after {timeout} s\n{deployment.logs()}"
                )
            time.sleep(0.1)
        if then_stop:
            time.sleep(1.0)  # long enough for a duplicate to show up, if one were coming
            self._stop.set()

    def recovery(self, fault_over: float) -> float:
        """The longest wait for the next answer after the fault was over: 0 when nothing was left."""
        times = [fault_over, *sorted(t for t, _ in self._counted() if t >= fault_over)]
        return max((b - a for a, b in itertools.pairwise(times)), default=0.0)

    def per_person(self) -> Counter[str]:
        return Counter(rcpt for _, rcpt in self._counted())


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


def settle(
    name: str,
    deployment,
    answers: Answers,
    people: list[Person],
    fault_over: float,
    database_url: str,
    *,
    refused: frozenset[str] = frozenset(),
    timeout: float = 60,
) -> None:
    """Wait for every answer, then assert what issue 14 asks of every fault, and record the figures:
    each person answered exactly once (but those the SMTP server refused for good), no row left
    unfinished, and no wait longer than RECOVERY_LIMIT for the next answer once the fault was over."""
    expected = {p.address: 1 for p in people if p.address not in refused}
    answers.wait_for(len(expected), timeout=timeout, deployment=deployment)
    per_person = answers.per_person()
    recovery = answers.recovery(fault_over)
    duplicates = sum(per_person.values()) - len(per_person)
    record(name, len(people), len(per_person), duplicates, recovery)
    assert per_person == expected, f"{name}\n{deployment.logs()}"
    assert rows_left_unfinished(database_url) == {"inbox": [], "outbox": []}, deployment.logs()
    assert recovery <= RECOVERY_LIMIT, f"{name}: {recovery:.1f} s\n{deployment.logs()}"


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


def record(
    name: str, people: int, answered: int, duplicates: int, recovery: float, with_start: float | None = None
) -> None:
    """One line per fault in test-artifacts/faults.txt: the table of issue 14, measured again.
    `with_start` is the recovery counted from the restart command, processes' start-up included."""
    folder = REPO / "test-artifacts"
    folder.mkdir(exist_ok=True)
    started = f" ({with_start:.1f} s from the restart command)" if with_start is not None else ""
    with open(folder / "faults.txt", "a") as out:
        out.write(f"{name}\t{answered}/{people}\t{duplicates}\t{recovery:.1f} s{started}\n")


def descendants(pid: int) -> set[int]:
    """Every process below `pid`, read from /proc."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def running(pids: set[int]) -> set[int]:
    """Those of `pids` that still run (a zombie has finished)."""
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def wait_until(what: str, predicate, timeout: float, deployment) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}\n{deployment.logs()}")
        time.sleep(0.1)


def outbox_count(database_url: str, status: str) -> int:
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    text("SELECT count(*) FROM outbox WHERE status = :s"), {"s": status}
                ).scalar()
                or 0
            )
    finally:
        engine.dispose()


def failed_recipients(database_url: str) -> frozenset[str]:
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT recipient FROM outbox WHERE status = 'failed'")).all()
    finally:
        engine.dispose()
    return frozenset(r.recipient for r in rows)
