"""The attacker's bench: mail APPENDed to Dovecot, the service running as operators run it, and what came out.

Every attack test goes the real path: APPEND to the registration mailbox → `anmalan watch` and a Celery worker
→ what reached the SMTP server, `anmalan list --json` and the organisers' digest. Each test module gets its
own running service; a module that must run on PostgreSQL (the compose deployment) overrides
`database_url` with `postgres.fresh_database(name)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.mails import at, mail
from tests.e2e.stack import Post, Stack, text

ORGANISER = "johanna.tangnas@regiondalarna.se"
OLOF = "Olof Hansson <olof.hansson@falun.se>"
# Before the deadline (fredag 23 augusti 2024), so every sign-up of an attack scene is on time.
NOW = "2024-08-13T10:00:00+02:00"


class Bench(Post):
    """Post's hands (send, wait, received, registration, settle), plus the organisers' digest."""

    def sign_up(self, sender: str, body: str, arrived: str, subject: str = "Anmälan lärprojektet") -> dict:
        """A sign-up of the sender themself, answered; their registration as `anmalan list --json` shows it."""
        self.send(mail(sender, subject, body, sent=at(arrived)), arrived)
        address = sender.split("<", 1)[1].rstrip(">")
        self.wait(address, about=lambda m: "Ref" in m["Subject"])
        return self.registration(address)

    def digest(self) -> str:
        """`anmalan digest --send`, as an organiser runs it; the text of the newest digest."""
        before = len([m for m in self.received(ORGANISER) if "Sammanställning" in m["Subject"]])
        done = self.stack.cli("digest", "--send")
        assert "1 skickade" in done.stdout, done.stdout + done.stderr
        found = self.wait(ORGANISER, count=before + 1, about=lambda m: "Sammanställning" in m["Subject"])
        return text(found[-1].message)

    def all_text_to(self, address: str) -> str:
        """Every subject and body that reached `address`: what that person could learn from us."""
        return "\n".join(f"{m['Subject']}\n{text(m)}" for m in self.received(address))


@pytest.fixture(scope="module")
def database_url() -> str | None:
    """SQLite, the embedded default; a module overrides this to attack the compose deployment's PostgreSQL."""
    return None


@pytest.fixture(scope="module")
def event_file() -> Path | None:
    """The repository's event; a module overrides this to run another (a second organiser, say)."""
    return None


@pytest.fixture(scope="module")
def service(
    tmp_path_factory, dovecot, smtp_server, redis_server, database_url, event_file
) -> Iterator[Stack]:
    """`anmalan watch` and `anmalan worker` running for one test module, on an empty mailbox."""
    dovecot.clear()
    smtp_server.clear()
    stack = Stack(
        tmp_path_factory.mktemp("security"),
        dovecot,
        smtp_server,
        redis_server,
        now=NOW,
        database_url=database_url,
    )
    if event_file is not None:
        stack.env["ANMALAN_EVENT"] = str(event_file)
    stack.start().wait_ready()
    yield stack
    stack.stop()


@pytest.fixture(scope="module")
def olof(service, dovecot, smtp_server) -> dict:
    """Olof Hansson of Falu kommun, signed up and confirmed: the victim of the module's attacks."""
    return Bench(service, dovecot, smtp_server).sign_up(
        OLOF,
        "Hej!\n\nJag anmäler mig till alla träffar.\n\nHälsningar\nOlof Hansson\nFalu kommun\n",
        "2024-08-13 08:00",
    )


@pytest.fixture
def bench(service: Stack, dovecot, smtp_server) -> Bench:
    return Bench(service, dovecot, smtp_server)
