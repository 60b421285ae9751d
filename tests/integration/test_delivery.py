"""Mail delivery against a real SMTP server: temporary and permanent failures are told apart."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from tests.server_fixtures import SMTP_PASSWORD, SMTP_USER
from worker.delivery import FolderTransport, PermanentFailure, SmtpTransport, TemporaryFailure, Withdrawn
from worker.settings import Settings

pytestmark = pytest.mark.servers


def mail() -> bytes:
    msg = EmailMessage()
    msg["From"] = "anmalan.dalalab@regiondalarna.se"
    msg["To"] = "karin.strom@mora.se"
    msg["Subject"] = "Bekräftelse [Ref K7M2QX]"
    msg.set_content("Välkommen!")
    return bytes(msg)


def transport(smtp, **extra) -> SmtpTransport:
    return SmtpTransport(Settings(smtp_host=smtp.host, smtp_port=smtp.port, smtp_starttls=False, **extra))


def test_a_mail_reaches_the_server_with_login(smtp) -> None:
    transport(smtp, smtp_user=SMTP_USER, smtp_password=SMTP_PASSWORD).send(
        "anmalan.dalalab@regiondalarna.se", "karin.strom@mora.se", mail()
    )
    [got] = smtp.wait_for(timeout=5)
    assert got.rcpt_tos == ("karin.strom@mora.se",)
    assert got.authenticated_as == SMTP_USER
    assert got.message["Subject"] == "Bekräftelse [Ref K7M2QX]"


def test_4xx_is_temporary_and_5xx_permanent(smtp) -> None:
    smtp.fail_next(1, code=451)
    with pytest.raises(TemporaryFailure, match="451"):
        transport(smtp).send("a@regiondalarna.se", "b@mora.se", mail())
    smtp.fail_next(1, code=550, stage="data")
    with pytest.raises(PermanentFailure, match="550"):
        transport(smtp).send("a@regiondalarna.se", "b@mora.se", mail())
    transport(smtp).send("a@regiondalarna.se", "b@mora.se", mail())
    assert len(smtp.wait_for(timeout=5)) == 1


def test_no_server_is_temporary_and_the_password_is_not_told(smtp) -> None:
    from tests.servers import free_port

    dead = SmtpTransport(
        Settings(
            smtp_host="127.0.0.1",
            smtp_port=free_port(),
            smtp_starttls=False,
            smtp_user="u",
            smtp_password="p4ss",
        )
    )
    with pytest.raises(TemporaryFailure) as caught:
        dead.send("a@regiondalarna.se", "b@mora.se", mail())
    assert "p4ss" not in str(caught.value)


def test_a_refused_login_is_permanent_and_not_retried(smtp) -> None:
    with pytest.raises(PermanentFailure, match="535") as caught:
        transport(smtp, smtp_user=SMTP_USER, smtp_password="fel-losen").send(
            "a@regiondalarna.se", "b@mora.se", mail()
        )
    assert "fel-losen" not in str(caught.value)


def test_the_embedded_default_writes_eml_files(tmp_path) -> None:
    FolderTransport(tmp_path / "outgoing").send("a@regiondalarna.se", "b@mora.se", mail(), name="000001")
    assert (tmp_path / "outgoing" / "000001.eml").read_bytes() == mail()


def test_one_connection_carries_several_mails_and_is_made_anew_when_the_server_closes(smtp) -> None:
    mailer = transport(smtp)
    mailer.send("a@regiondalarna.se", "b@mora.se", mail())
    connection = mailer._client
    mailer.send("a@regiondalarna.se", "c@mora.se", mail())
    assert mailer._client is connection  # reused, not made again
    smtp.fail_next(1, code=421, reply="421 4.3.2 Service shutting down")
    with pytest.raises(TemporaryFailure, match="421"):
        mailer.send("a@regiondalarna.se", "d@mora.se", mail())
    mailer.send("a@regiondalarna.se", "d@mora.se", mail())
    assert mailer._client is not connection
    assert [m.rcpt_tos for m in smtp.wait_for(timeout=5, count=3)] == [
        ("b@mora.se",),
        ("c@mora.se",),
        ("d@mora.se",),
    ]


def test_a_mail_whose_sender_lost_its_lease_is_never_completed(smtp) -> None:
    mailer = transport(smtp)
    with pytest.raises(Withdrawn):
        mailer.send("a@regiondalarna.se", "b@mora.se", mail(), completing=lambda: False)
    mailer.send("a@regiondalarna.se", "c@mora.se", mail())
    [got] = smtp.wait_for(timeout=5)
    assert got.rcpt_tos == ("c@mora.se",)  # the withdrawn mail never reached the server
