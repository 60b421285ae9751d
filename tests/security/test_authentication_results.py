"""Threat: a bare or forged From is trusted (issue 8, item 5).

Only Authentication-Results written by our own receiving server (ANMALAN_AUTHSERV_ID) count, parsed per
RFC 8601, so "dmarc=pass" inside another value, or a header from another server, is no pass. A
cancellation, substitution or new address without a pass changes nothing: the registered address is asked
to confirm by replying (the token expires after three days), and whoever asked hears only that.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from rules.confirm import confirm_tag
from tests.e2e.mails import at, mail, reply
from tests.security.conftest import OLOF, Bench

pytestmark = pytest.mark.servers

OLOF_AT = "olof.hansson@falun.se"
CONFIRM = "Bekräfta ändringen"


def cancel_as_olof(sent: str, **kwargs) -> bytes:
    return mail(
        OLOF, "Avbokning", "Hej! Jag kan inte komma, avboka mig.\n\nOlof Hansson\n", sent=at(sent), **kwargs
    )


def test_a_bare_from_changes_nothing_until_the_registered_address_confirms(bench: Bench, olof: dict) -> None:
    bench.send(cancel_as_olof("2024-08-13 09:00", authenticated=False), "2024-08-13 09:00")
    [request] = bench.wait(OLOF_AT, about=lambda m: CONFIRM in m["Subject"])
    bench.settle()
    assert bench.registration(OLOF_AT)["status"] == "active"
    assert "[Bekräfta " in request.message["Subject"]
    # Olof answers his own request: now it is done.
    bench.send(
        reply(request.message, OLOF, "Ja, det stämmer.", sent=at("2024-08-13 09:30")), "2024-08-13 09:30"
    )
    bench.wait(OLOF_AT, about=lambda m: "vbok" in m["Subject"] and CONFIRM not in m["Subject"])
    assert bench.registration(OLOF_AT)["status"] == "cancelled"


@pytest.mark.parametrize(
    "header",
    [
        # "dmarc=pass" as a property value, with the real verdict a fail.
        'mx.regiondalarna.se; spf=pass smtp.mailfrom="dmarc=pass"@evil.example; dmarc=fail header.from=falun.se',
        "mx.regiondalarna.se; smtp.mailfrom=dmarc=pass@evil.example; dmarc=fail",
        # Another server's word for it.
        "mx.evil.example; dmarc=pass header.from=falun.se",
    ],
)
def test_a_pass_not_written_by_our_server_is_no_pass(bench: Bench, header: str) -> None:
    address = f"maj.{abs(hash(header)) % 10_000}@leksand.se"
    person = f"Maj Berg <{address}>"
    bench.sign_up(person, "Hej!\n\nJag anmäler mig.\n\nMaj Berg\nLeksands kommun\n", "2024-08-13 10:00")
    bench.send(
        mail(
            person,
            "Avbokning",
            "Hej! Jag kan inte komma, avboka mig.\n\nMaj Berg\n",
            sent=at("2024-08-13 10:05"),
            authenticated=False,
            headers={"Authentication-Results": header},
        ),
        "2024-08-13 10:05",
    )
    bench.wait(address, count=2)  # her confirmation, then a request to confirm or a refusal
    bench.settle()
    assert bench.registration(address)["status"] == "active"


def test_whoever_asks_for_someone_else_hears_only_that_a_confirmation_was_sent(bench: Bench) -> None:
    maria, johan = "maria.nyberg@borlange.se", "johan.dahl@borlange.se"
    bench.send(
        mail(
            f"Maria Nyberg <{maria}>",
            "Anmälan",
            f"Hej!\n\nJag anmäler min kollega Johan Dahl, {johan}, till alla träffar.\n\n"
            "Hälsningar\nMaria Nyberg\nBorlänge kommun\n",
            sent=at("2024-08-13 11:00"),
        ),
        "2024-08-13 11:00",
    )
    bench.wait(johan)
    johan_ref = bench.registration(johan)["ref"]
    before = len(bench.received(maria))
    bench.send(
        mail(
            f"Maria Nyberg <{maria}>",
            "Avbokning",
            "Hej! Johan Dahl kan inte komma, avboka honom.\n\nMaria\n",
            sent=at("2024-08-13 11:10"),
            authenticated=False,
        ),
        "2024-08-13 11:10",
    )
    bench.wait(johan, about=lambda m: CONFIRM in m["Subject"])
    [ack] = bench.wait(maria, count=before + 1)[before:]
    assert "bekräfta" in ack.message["Subject"] + str(
        ack.message.get_body(preferencelist=("plain",)).get_content()
    )
    assert johan_ref not in ack.message.as_string()
    assert bench.registration(johan)["status"] == "active"


def test_a_confirmation_older_than_three_days_does_nothing(bench: Bench, service) -> None:
    address = "nils.ek@orsa.se"
    nils = bench.sign_up(
        f"Nils Ek <{address}>", "Hej!\n\nJag anmäler mig.\n\nNils Ek\nOrsa kommun\n", "2024-08-13 12:00"
    )
    bench.send(
        mail(
            f"Nils Ek <{address}>",
            "Avbokning",
            "Hej! Jag kan inte komma, avboka mig.\n\nNils Ek\n",
            sent=at("2024-08-13 12:05"),
            authenticated=False,
        ),
        "2024-08-13 12:05",
    )
    [request] = bench.wait(address, about=lambda m: CONFIRM in m["Subject"])
    # The same request, as if it had been sent four days ago: signed like ours, but expired.
    secret = (service.tmp / "var" / "secret_key").read_text().strip()
    tag = request.message["Subject"].split("[Bekräfta ", 1)[1].split("]", 1)[0]
    inbox_id = int(tag.split(".", 1)[0])
    old = confirm_tag(secret, "dalalab-2024", inbox_id, nils["ref"], date(2024, 8, 13) - timedelta(days=4))
    subject = f"SV: Bekräfta ändringen [Ref {nils['ref']}] {old}"
    bench.send(
        mail(f"Nils Ek <{address}>", subject, "Ja.\n\nNils\n", sent=at("2024-08-13 12:30")),
        "2024-08-13 12:30",
    )
    bench.settle(3)
    assert bench.registration(address)["status"] == "active"
