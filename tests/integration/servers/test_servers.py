"""The test servers are real: IMAP through Dovecot, SMTP through aiosmtpd, Redis through redis-server."""

from __future__ import annotations

import smtplib
import socket
import threading
import time
from datetime import UTC, date, datetime, timedelta, timezone
from email.message import EmailMessage

import pytest
import redis
from imap_tools import AND, MailBoxUnencrypted
from imap_tools.errors import MailboxLoginError

from tests.servers import DovecotServer, MissingServerBinary, RedisServer, SmtpServer, free_port

pytestmark = pytest.mark.servers


def _mail(subject: str, message_id: str = "<m1@example.org>") -> bytes:
    message = EmailMessage()
    message["From"] = "Anna Svensson <anna@example.org>"
    message["To"] = "anmalan@example.org"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message.set_content("Jag vill anmäla mig till mötet.\n")
    return message.as_bytes()


# --------------------------------------------------------------------------- IMAP


def test_append_is_seen_by_imap_tools_and_fetching_sets_no_flag(imap: DovecotServer) -> None:
    imap.append(_mail("Anmälan"))

    with MailBoxUnencrypted(imap.host, imap.port).login(imap.user, imap.password) as box:
        fetched = list(box.fetch(mark_seen=False))

    assert [m.subject for m in fetched] == ["Anmälan"]
    assert "\\Seen" not in fetched[0].flags
    [stored] = imap.messages()
    assert not stored.seen
    assert b"Subject:" in stored.raw


def test_internaldate_is_the_one_given(imap: DovecotServer) -> None:
    arrived = datetime(2024, 3, 1, 8, 30, tzinfo=timezone(timedelta(hours=1)))
    imap.append(_mail("Sent long ago"), internaldate=arrived)
    imap.append(_mail("Naive is UTC", "<m2@example.org>"), internaldate=datetime(2024, 3, 2, 12, 0))

    first, second = imap.messages()
    assert first.internaldate == arrived
    assert second.internaldate == datetime(2024, 3, 2, 12, 0, tzinfo=UTC)
    # SEARCH ON compares the internaldate, so a client filtering by arrival sees it too.
    with imap.mailbox() as box:
        assert [m.subject for m in box.fetch(AND(date=date(2024, 3, 1)), mark_seen=False)] == [
            "Sent long ago"
        ]


def test_append_to_another_folder_creates_it(imap: DovecotServer) -> None:
    imap.append(_mail("Arkiverad"), folder="Arkiv")

    assert [m.uid for m in imap.messages("Arkiv")] == [1]
    assert imap.messages("INBOX") == []


@pytest.mark.parametrize("folder", ["INBOX", "Anmälningar"])
def test_recreate_folder_changes_uidvalidity(imap: DovecotServer, folder: str) -> None:
    imap.append(_mail("Före"), folder=folder)
    before = imap.uidvalidity(folder)

    imap.recreate_folder(folder)

    assert imap.uidvalidity(folder) != before
    assert imap.messages(folder) == []


def test_recreate_folder_can_keep_messages_under_new_uids(imap: DovecotServer) -> None:
    arrived = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    for n in range(3):
        imap.append(_mail(f"Nr {n}", f"<m{n}@example.org>"), internaldate=arrived)
    with imap.mailbox() as box:
        box.flag(box.uids()[:1], "\\Seen", True)
        box.delete(box.uids()[1:2])
    old = imap.messages()
    before = imap.uidvalidity()

    imap.recreate_folder("INBOX", keep_messages=True)

    new = imap.messages()
    assert imap.uidvalidity() != before
    assert [m.uid for m in old] == [1, 3]
    assert [m.uid for m in new] == [1, 2]
    assert [(m.raw, m.flags, m.internaldate) for m in new] == [(m.raw, m.flags, m.internaldate) for m in old]


def test_idle_is_offered_and_woken_by_an_append_from_another_connection(imap: DovecotServer) -> None:
    with imap.mailbox() as box:
        assert "IDLE" in box.client.capabilities

        def append_soon() -> None:
            time.sleep(0.3)
            imap.append(_mail("Väcker IDLE"))

        appender = threading.Thread(target=append_soon)
        appender.start()
        started = time.monotonic()
        responses = box.idle.wait(timeout=10)
        elapsed = time.monotonic() - started
        appender.join()

    assert any(b"EXISTS" in r for r in responses), responses
    assert elapsed < 5


def test_plaintext_login_with_a_wrong_password_is_refused(dovecot: DovecotServer) -> None:
    box = MailBoxUnencrypted(dovecot.host, dovecot.port)
    try:
        with pytest.raises(MailboxLoginError):
            box.login(dovecot.user, "wrong")
    finally:
        box.client.shutdown()


# --------------------------------------------------------------------------- SMTP


def test_smtp_records_what_smtplib_sends(smtp: SmtpServer) -> None:
    with smtplib.SMTP(smtp.host, smtp.port, timeout=10) as client:
        client.sendmail("anmalan@example.org", ["anna@example.org", "bo@example.org"], _mail("Bekräftelse"))

    [recorded] = smtp.wait_for(lambda m: "bo@example.org" in m.rcpt_tos, timeout=5)
    assert recorded.mail_from == "anmalan@example.org"
    assert recorded.rcpt_tos == ("anna@example.org", "bo@example.org")
    assert recorded.message["Subject"] == "Bekräftelse"
    assert recorded.authenticated_as is None
    assert smtp.messages == [recorded]


def test_smtp_auth_without_tls(smtp: SmtpServer) -> None:
    assert smtp.user is not None and smtp.password is not None
    with smtplib.SMTP(smtp.host, smtp.port, timeout=10) as client:
        client.login(smtp.user, smtp.password)
        client.sendmail("anmalan@example.org", ["anna@example.org"], _mail("Inloggad"))
    with (
        smtplib.SMTP(smtp.host, smtp.port, timeout=10) as client,
        pytest.raises(smtplib.SMTPAuthenticationError),
    ):
        client.login(smtp.user, "wrong")

    [recorded] = smtp.wait_for(timeout=5)
    assert recorded.authenticated_as == smtp.user


def test_smtp_answers_451_to_the_next_rcpts_then_accepts(smtp: SmtpServer) -> None:
    smtp.fail_next(2, code=451)
    with smtplib.SMTP(smtp.host, smtp.port, timeout=10) as client:
        for _ in range(2):
            with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
                client.sendmail("anmalan@example.org", ["anna@example.org"], _mail("Försök"))
            assert refused.value.recipients["anna@example.org"][0] == 451
        client.sendmail("anmalan@example.org", ["anna@example.org"], _mail("Försök"))

    assert len(smtp.wait_for(timeout=5)) == 1


def test_smtp_answers_550_to_data(smtp: SmtpServer) -> None:
    smtp.fail_next(1, code=550, stage="data")
    with smtplib.SMTP(smtp.host, smtp.port, timeout=10) as client:
        with pytest.raises(smtplib.SMTPDataError) as error:
            client.sendmail("anmalan@example.org", ["anna@example.org"], _mail("Nej"))
        assert error.value.smtp_code == 550

    assert smtp.messages == []


def test_wait_for_times_out_with_what_it_received(smtp: SmtpServer) -> None:
    with pytest.raises(TimeoutError, match=r"received: \[\]"):
        smtp.wait_for(timeout=0.1)


# --------------------------------------------------------------------------- Redis


def test_redis_ping_set_get_on_its_own_port(redis_server: RedisServer) -> None:
    assert redis_server.port != 6379
    assert redis_server.url == f"redis://127.0.0.1:{redis_server.port}/0"
    client = redis.Redis.from_url(redis_server.url)
    try:
        assert client.ping()
        client.set("anmalan:test", "ja")
        assert client.get("anmalan:test") == b"ja"
    finally:
        client.close()


# --------------------------------------------------------------------------- helpers


def test_free_port_is_bindable() -> None:
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_missing_binary_names_the_package() -> None:
    assert "apt-get install dovecot-imapd" in str(MissingServerBinary("dovecot"))
