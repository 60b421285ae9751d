"""End-to-end throughput as a new user meets it: sign-ups APPENDed to Dovecot, timed until answered.

Usage: python bench/bench_e2e.py [--messages N] [--redis-postgres] [--workers W] [--trickle 20]
Starts a private Dovecot and an SMTP sink (and Redis + PostgreSQL with --redis-postgres) on loopback
ports, then the service: `anmalan run` (embedded default), or `anmalan watch` + `anmalan worker
--concurrency W`. In the same run it measures the floor: N messages fetched with one UID FETCH plus N
mails sent over one SMTP connection. Then a burst of N sign-ups (from the first APPEND until every
sender has an answer) and a trickle of sign-ups two seconds apart into the idle service (p50/p99).
"""

from __future__ import annotations

import argparse
import imaplib
import shutil
import smtplib
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parsers.gazetteer import all_entries  # noqa: E402
from tests.e2e.mails import at, mail  # noqa: E402
from tests.e2e.stack import Stack  # noqa: E402
from tests.servers import DovecotServer, RedisServer, SmtpServer  # noqa: E402

SENT = at("2024-08-13 09:00")


def signups(prefix: str, count: int) -> list[tuple[str, bytes]]:
    """(address, raw) of `count` one-person sign-ups, each from its own municipality's domain."""
    places = [e for e in all_entries() if e.kind == "municipality" and e.domains]
    out = []
    for n in range(count):
        place = places[n % len(places)]
        address = f"{prefix}{n}@{place.domains[0]}"
        body = (
            f"Hej!\n\nJag vill anmäla mig till lärprojektet, träff 1 och 2.\n\n"
            f"Med vänliga hälsningar\nKarin Berg\nPlanarkitekt\n{place.name}\n"
        )
        out.append((address, mail(f"Karin Berg <{address}>", "Anmälan", body, sent=SENT)))
    return out


def floor(dovecot: DovecotServer, smtp: SmtpServer, messages: list[tuple[str, bytes]]) -> float:
    """Seconds for the least any service must do: one UID FETCH of N messages, N mails on one connection."""
    folder = "Floor"
    client = imaplib.IMAP4(dovecot.host, dovecot.port)
    client.login(dovecot.user, dovecot.password)
    client.create(folder)
    for _, raw in messages:
        client.append(folder, "", imaplib.Time2Internaldate(time.time()), raw)
    client.select(folder, readonly=True)
    answer = messages[0][1]  # a mail of about an answer's size
    start = time.perf_counter()
    client.uid("FETCH", "1:*", "(BODY.PEEK[])")
    with smtplib.SMTP(smtp.host, smtp.port) as sender:
        for n in range(len(messages)):
            sender.sendmail("anmalan.dalalab@regiondalarna.se", [f"floor{n}@example.se"], answer)
    seconds = time.perf_counter() - start
    client.logout()
    return seconds


def answered(smtp: SmtpServer, addresses: set[str]) -> set[str]:
    return {to for m in smtp.messages for to in m.rcpt_tos if to in addresses}


def wait_answers(
    smtp: SmtpServer, addresses: set[str], timeout: float, quiet: float = 20.0
) -> tuple[int, float]:
    """Until every address has an answer, or nothing more came for `quiet` seconds (a sign-up the rules
    set aside for the organiser gets no mail): (how many have none, perf_counter of the last answer)."""
    deadline = time.monotonic() + timeout
    count, last = 0, time.perf_counter()
    while (now := len(answered(smtp, addresses))) < len(addresses):
        if now != count:
            count, last = now, time.perf_counter()
        if time.monotonic() > deadline or time.perf_counter() - last > quiet:
            return len(addresses) - now, last
        time.sleep(0.02)
    return 0, time.perf_counter()


def start_service(args: argparse.Namespace, tmp: Path, dovecot, smtp, servers: list) -> Stack:
    """The service as an operator starts it, through the end-to-end tests' own launcher."""
    if not args.redis_postgres:
        stack = Stack(tmp, dovecot, smtp, redis=SimpleNamespace(url=""))
        del stack.env["ANMALAN_BROKER_URL"]  # the embedded default: SQLite and its SQLAlchemy broker
        return _unlimited(stack).start("run")
    from tests.postgres import PostgresServer

    redis = RedisServer(tmp / "redis").start()
    servers.append(redis)
    postgres = PostgresServer().start()
    servers.append(postgres)
    stack = Stack(tmp, dovecot, smtp, redis, database_url=postgres.url)
    stack.args["worker"] = ["--concurrency", str(args.workers)]
    return _unlimited(stack).start("watch", "worker")


def _unlimited(stack: Stack) -> Stack:
    # The guard against answering a flood (300 an hour by default) would stop a benchmark of floods.
    stack.env["ANMALAN_MAX_ANSWERS_PER_HOUR"] = "1000000"
    return stack


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--messages", type=int, default=300)
    ap.add_argument("--trickle", type=int, default=20, help="sign-ups sent two seconds apart")
    ap.add_argument("--redis-postgres", action="store_true", help="watch + worker on Redis and PostgreSQL")
    ap.add_argument("--workers", type=int, default=2, help="worker processes (with --redis-postgres)")
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--logs", type=Path, default=None, help="copy the service's logs into this folder")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="anmalan-bench-") as name:
        tmp = Path(name)
        stack: list = []
        service: Stack | None = None
        try:
            dovecot = DovecotServer(tmp / "dovecot").start()
            stack.append(dovecot)
            smtp = SmtpServer().start()
            stack.append(smtp)
            burst = signups("burst", args.messages)
            floor_s = floor(dovecot, smtp, burst)
            smtp.clear()

            service = start_service(args, tmp, dovecot, smtp, stack)
            # One sign-up first, so start-up (imports, migrations, connecting) is not in the figures.
            warm_address, warm = signups("warm", 1)[0]
            dovecot.append(warm)
            if wait_answers(smtp, {warm_address}, timeout=120, quiet=120)[0]:
                raise SystemExit(f"the service did not answer:\n{service.logs()}")

            # Over one connection, as a mail server delivers a burst: a login per APPEND would make the
            # sender, not the service, the larger part of the figure.
            sender = imaplib.IMAP4(dovecot.host, dovecot.port)
            sender.login(dovecot.user, dovecot.password)
            start = time.perf_counter()
            for _, raw in burst:
                sender.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)
            appended = time.perf_counter() - start
            sender.logout()
            unanswered, last = wait_answers(smtp, {a for a, _ in burst}, timeout=args.timeout)
            burst_s = last - start

            mode = (
                f"watch + worker ×{args.workers}, Redis + PostgreSQL"
                if args.redis_postgres
                else "anmalan run, embedded"
            )
            print(f"{mode}: {args.messages} sign-ups")
            print(f"floor (one UID FETCH + one SMTP connection): {floor_s:.2f} s")
            if unanswered:
                print(f"{unanswered} of the burst got no answer (see the service's log)")
            print(
                f"burst: {burst_s:.1f} s, {args.messages / burst_s:.1f} msg/s, {burst_s / floor_s:.0f}× floor "
                f"(the APPENDs themselves took {appended:.1f} s; last answer {burst_s - appended:.1f} s after them)",
                flush=True,
            )
            time.sleep(3)  # idle again: the queues are empty and the watcher waits in IDLE
            latencies = []
            for address, raw in signups("trickle", args.trickle):
                sent = time.perf_counter()
                dovecot.append(raw)
                missing, answered_at = wait_answers(smtp, {address}, timeout=15, quiet=15)
                if not missing:
                    latencies.append(answered_at - sent)
                time.sleep(max(0.0, 2.0 - (time.perf_counter() - sent)))
        finally:
            if service is not None:
                service.stop()
                if args.logs is not None:
                    args.logs.mkdir(parents=True, exist_ok=True)
                    for log in tmp.glob("*.log"):
                        shutil.copy(log, args.logs / log.name)
            for server in reversed(stack):
                server.stop()

    if len(latencies) > 1:
        p99 = statistics.quantiles(latencies, n=100, method="inclusive")[98]
        print(f"trickle of {len(latencies)}: p50 {statistics.median(latencies):.2f} s, p99 {p99:.2f} s")
    if len(latencies) < args.trickle:
        print(f"{args.trickle - len(latencies)} of the trickle got no answer within 15 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
