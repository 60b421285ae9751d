"""The service as an operator runs it: `anmalan watch` and `anmalan worker` as real processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.e2e.mails import AUTHSERV_ID, at

REPO = Path(__file__).resolve().parents[2]
# Seconds a test waits for the service's answer (the machine may be busy).
WAIT = 15.0
ANMALAN = [sys.executable, "-m", "worker.cli"]


class Stack:
    """Processes of the service pointed at the test servers; `env` is what an operator would export."""

    def __init__(
        self,
        tmp: Path,
        dovecot,
        smtp,
        redis,
        *,
        now: str | None = "2024-08-13T10:00:00+02:00",
        database_url: str | None = None,
        anmalan: list[str] | None = None,
    ) -> None:
        self.tmp = tmp
        # Another installation's `anmalan` (a wheel in its own venv) runs outside the checkout.
        self.anmalan = anmalan or ANMALAN
        self.cwd = tmp if anmalan else REPO
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("ANMALAN_")}
        self.env.update(
            {
                "ANMALAN_IMAP_HOST": dovecot.host,
                "ANMALAN_IMAP_PORT": str(dovecot.port),
                "ANMALAN_IMAP_USER": dovecot.user,
                "ANMALAN_IMAP_PASSWORD": dovecot.password,
                "ANMALAN_IMAP_SSL": "false",
                "ANMALAN_SMTP_HOST": smtp.host,
                "ANMALAN_SMTP_PORT": str(smtp.port),
                "ANMALAN_SMTP_STARTTLS": "false",
                "ANMALAN_BROKER_URL": redis.url,
                "ANMALAN_DATA_DIR": str(tmp / "var"),
                "ANMALAN_EVENT": str(REPO / "config/events/dalalab-2024.yaml"),
                "ANMALAN_DATABASE_URL": database_url or f"sqlite:///{tmp / 'anmalan.sqlite3'}",
                "ANMALAN_LOG_LEVEL": "INFO",
                "ANMALAN_AUTHSERV_ID": AUTHSERV_ID,
            }
        )
        if now:
            self.env["ANMALAN_NOW"] = now
        self.procs: dict[str, subprocess.Popen] = {}
        self.args: dict[str, list[str]] = {}  # options for one part, e.g. {"worker": ["--concurrency", "1"]}

    def use_oauth(self, tokens) -> Stack:
        """Log in to both servers with tokens from the test token server, as an operator would set it up."""
        del self.env["ANMALAN_IMAP_PASSWORD"]
        self.env.update(
            {
                "ANMALAN_IMAP_AUTH": "oauth2",
                "ANMALAN_SMTP_AUTH": "oauth2",
                "ANMALAN_SMTP_USER": tokens.user,
                "ANMALAN_OAUTH_TOKEN_URL": tokens.token_url,
                "ANMALAN_OAUTH_CLIENT_ID": tokens.client_id,
                "ANMALAN_OAUTH_CLIENT_SECRET": tokens.client_secret,
                "ANMALAN_OAUTH_SCOPE": "mail",
            }
        )
        return self

    def start(self, *parts: str) -> Stack:
        for part in parts or ("watch", "worker"):
            log = open(self.tmp / f"{part}.log", "ab")  # noqa: SIM115 - lives as long as the process
            self.procs[part] = subprocess.Popen(
                [*self.anmalan, part, *self.args.get(part, [])],
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def wait_ready(self, timeout: float = 30.0) -> Stack:
        """Until the watcher is connected and the worker consumes: so tests time intake, not start-up."""
        signs = {"watch": "connected to", "worker": "ready."}
        deadline = time.monotonic() + timeout
        while True:
            pending = [
                part
                for part in self.procs
                if part in signs and signs[part] not in (self.tmp / f"{part}.log").read_text(errors="replace")
            ]
            if not pending:
                return self
            for part, proc in self.procs.items():
                if proc.poll() is not None:
                    raise AssertionError(f"anmalan {part} exited {proc.returncode}:\n{self.logs()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"not ready after {timeout} s: {pending}\n{self.logs()}")
            time.sleep(0.1)

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.procs.clear()

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-4000:]}" for p in self.tmp.glob("*.log")
        )

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [*self.anmalan, *args], cwd=self.cwd, env=self.env, capture_output=True, text=True, timeout=120
        )
        if check and done.returncode != 0:
            raise AssertionError(f"anmalan {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
        return done

    def registrations(self) -> list[dict]:
        return [json.loads(line) for line in self.cli("list", "--json").stdout.splitlines() if line.strip()]

    def wait_for_registrations(self, count: int, timeout: float = 15.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while True:
            regs = self.registrations()
            if len(regs) >= count or time.monotonic() > deadline:
                return regs
            time.sleep(0.3)


class Post:
    """The test's hands: APPEND mail to the registration mailbox, wait for what the service sends."""

    def __init__(self, stack: Stack, imap, smtp) -> None:
        self.stack, self.imap, self.smtp = stack, imap, smtp

    def send(self, raw: bytes, arrived: str) -> None:
        self.imap.append(raw, internaldate=at(arrived))

    def wait(self, address: str, count: int = 1, about: Callable | None = None) -> list:
        """The messages to `address` (optionally only those `about` accepts), once there are `count`."""
        try:
            return self.smtp.wait_for(
                lambda m: address in m.rcpt_tos and (about is None or about(m.message)),
                timeout=WAIT,
                count=count,
            )
        except TimeoutError as error:
            raise AssertionError(f"{error}\n{self.stack.logs()}") from None

    def received(self, address: str) -> list:
        return [m.message for m in self.smtp.messages if address in m.rcpt_tos]

    def registration(self, email: str) -> dict:
        regs = [r for r in self.stack.registrations() if r["email"] == email]
        assert len(regs) == 1, f"{email}: {regs}"
        return regs[0]

    def settle(self, seconds: float = 2.0) -> None:
        """Give a message that must change nothing the time it would take to change something."""
        time.sleep(seconds)


def text(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    # Lines end in CRLF as sent; a reader sees lines.
    return part.get_content().replace("\r\n", "\n") if part else ""
