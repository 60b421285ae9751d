"""Threat: one message stops all processing (issue 8, item 2), on PostgreSQL as the compose deployment runs.

PostgreSQL text cannot hold NUL. A NUL in a header once made the message fail, its failure path fail the same
way, and every later message fail behind it. Now every text column is cleaned at the store boundary, and a
message that fails twice for any reason is set aside (poison) with a reason that holds none of its content.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from tests.e2e.mails import at, mail
from tests.security.conftest import NOW, Bench

pytestmark = pytest.mark.servers

HOSTILE = (
    b"From: =?utf-8?q?Karin=00_Lindqvist?= <karin.lindqvist@falun.se>\r\n"
    b"To: anmalan.dalalab@regiondalarna.se\r\n"
    b"Subject: =?utf-8?q?Anm=C3=A4lan=00?= =?utf-8?b?wp/CnQ==?=\r\n"
    b"Date: Tue, 13 Aug 2024 08:00:00 +0200\r\n"
    b"Message-ID: <nul-" + b"x" * 1200 + b"@falun.se>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    b"Hej!\r\n\r\nJag vill anm=C3=A4la mig till alla fyra tr=C3=A4ffarna. Jag =C3=A4r vegetarian=00.\r\n\r\n"
    b"Med v=C3=A4nliga h=C3=A4lsningar\r\nKarin Lindqvist=00\r\nPlanarkitekt\r\nFalu kommun\r\n"
)


@pytest.fixture(scope="module")
def database_url(postgres) -> str:
    return postgres.fresh_database("security_poison")


def test_nul_and_control_characters_are_stripped_and_later_mail_is_still_answered(bench: Bench) -> None:
    bench.send(HOSTILE, "2024-08-13 08:00")
    bench.send(
        mail(
            "Per Ols <per.ols@orsa.se>",
            "Anmälan",
            "Hej!\n\nJag anmäler mig till alla träffar.\n\nHälsningar\nPer Ols\nOrsa kommun\n",
            sent=at("2024-08-13 08:01"),
        ),
        "2024-08-13 08:01",
    )
    [karin] = bench.wait("karin.lindqvist@falun.se")
    bench.wait("per.ols@orsa.se")
    assert "\x00" not in karin.message["Subject"]
    stored = bench.registration("karin.lindqvist@falun.se")
    assert stored["name"] == "Karin Lindqvist"
    assert stored["diet"] == ["vegetarian"]
    assert bench.registration("per.ols@orsa.se")["status"] == "active"


def test_a_message_failing_twice_is_set_aside_and_never_blocks_the_next(
    postgres, tmp_path, monkeypatch
) -> None:
    """No content can be found that still breaks the service, so a failure is put in decide()'s place for one
    message; the next message, which first tries the earlier one again, must be answered all the same."""
    import worker.pipeline
    from store.organiser import open_reviews
    from store.tables import InboxMessage, OutboxRow
    from tests.conftest import REPO
    from tests.integration.test_scheduled import sign_up
    from worker.bootstrap import build
    from worker.clock import Clock
    from worker.settings import Settings

    svc = build(
        Settings(
            data_dir=tmp_path,
            event=REPO / "config/events/dalalab-2024.yaml",
            database_url=postgres.fresh_database("security_poison_twice"),
        )
    )
    svc.clock = Clock(datetime.fromisoformat(NOW))
    real_decide = worker.pipeline.decide

    def breaks_on_karin(event, state, parsed, **kwargs):
        if parsed.sender == "karin.lindqvist@falun.se":
            raise RuntimeError("Anmälan\x00 Karin Lindqvist")  # content in the error: never stored
        return real_decide(event, state, parsed, **kwargs)

    monkeypatch.setattr(worker.pipeline, "decide", breaks_on_karin)
    sign_up(svc, HOSTILE, uid="1")  # the first try fails; the message waits for one more
    sign_up(svc, _signup("per.ols@orsa.se", "Per Ols", "Orsa kommun"), uid="2")  # Karin's again, then Per's
    with svc.db.unit_of_work() as session:
        rows = {r.id: r for r in session.execute(select(InboxMessage)).scalars()}
        reviews = list(open_reviews(session, svc.event.slug).values())
        mails = [o.recipient for o in session.execute(select(OutboxRow)).scalars()]
    first, second = sorted(rows)
    assert rows[first].status == "poison" and rows[first].reason == "RuntimeError (2 försök)"
    assert rows[first].raw == HOSTILE  # kept as it came
    assert rows[second].status == "processed"
    assert mails == ["per.ols@orsa.se"]
    [review] = reviews
    assert review.kind == "poison" and f"Meddelande nr {first}" in review.summary
    assert "Karin" not in review.summary and "Anmälan" not in review.summary
    svc.db.dispose()


def _signup(address: str, name: str, organisation: str) -> bytes:
    return mail(
        f"{name} <{address}>",
        "Anmälan",
        f"Hej!\n\nJag anmäler mig till alla träffar.\n\nHälsningar\n{name}\n{organisation}\n",
        sent=at("2024-08-13 08:01"),
    )
