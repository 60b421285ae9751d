"""What forget searches for and blots out: names both ways round, in any encoding a stored mail uses."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage

from store.redact import FORGOTTEN, mail_names, needles, scrub, scrub_json

KARIN = needles("Karin.Lindqvist@falun.se", ["Karin Lindqvist", None, "Eva"])


def test_needles_are_the_address_and_the_name_both_ways_round() -> None:
    assert set(KARIN) == {"karin.lindqvist@falun.se", "karin lindqvist", "lindqvist karin"}


def test_scrub_replaces_every_form_across_line_breaks() -> None:
    text = "Från Lindqvist Karin <karin.lindqvist@falun.se>: KARIN\nLINDQVIST kommer"
    assert scrub(text, KARIN) == f"Från {FORGOTTEN} <{FORGOTTEN}>: {FORGOTTEN} kommer"
    assert scrub_json({"people": [{"name": "Karin Lindqvist", "n": 1}]}, KARIN) == {
        "people": [{"name": FORGOTTEN, "n": 1}]
    }


def _mail_with(body: str, attachment: bytes | None = None) -> bytes:
    message = EmailMessage()
    message["Subject"] = "Sammanställning"
    message.set_content(body, cte="base64")
    if attachment is not None:
        message.add_attachment(attachment, maintype="application", subtype="zip", filename="lista.xlsx")
    return message.as_bytes()


def test_a_mail_names_her_in_a_base64_body_or_inside_a_zipped_attachment() -> None:
    assert mail_names(_mail_with("Deltagare: Karin Lindqvist, Falu kommun"), KARIN)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", "<si><t>Lindqvist Karin</t></si>")
    assert mail_names(_mail_with("Se bifogad lista.", buffer.getvalue()), KARIN)
    assert not mail_names(_mail_with("Deltagare: Olof Hansson"), KARIN)
