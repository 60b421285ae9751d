"""The organiser mails rendered with the real templates; the HTML digest photographed in headless Chromium."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from parsers.commands import parse_commands
from rules.digest import build_digest, digest_mails
from rules.model import State
from rules.organiser import apply_commands
from rules.token import find_token
from tests.unit.digest.conftest import NOW, REPO, SINCE
from worker.render import render_mail, render_parts

TOKEN = "240826.AbCdEfGhIjKlMnOp"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def digest(event, registrations, changes, reviews, failing):
    view = build_digest(event, registrations, changes, reviews, failing, now=NOW, since=SINCE)
    return digest_mails(event, view, token=TOKEN, attachments=["deltagare.xlsx", "deltagare.csv"])


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_digest_text_and_subject(event, digest, lang):
    (mail,) = digest
    mail.language = lang
    subject, text, html = render_parts(mail, event)
    assert find_token(subject) == TOKEN
    assert subject.startswith(f"[Digest dalalab-2024 {TOKEN}]")
    for needle in (
        "3/3",
        "CCCC01",
        "Cecilia Dahl (Falu kommun)",
        "Älvdalens kommun",
        "> Finns det parkering",
    ):
        assert needle in text
    assert "SVARA 2" in text and "[1]" in text
    assert "Cecilia Dahl (Falu kommun)" in html and "&lt;" in html  # "<ditt svar>" escaped, not swallowed
    assert "class=" not in html and "<link" not in html and "<img" not in html and "http" not in html


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_command_mails_render(event, registrations, reviews, lang):
    text = "GODKÄNN CCCC01\nAVANMÄL AAAA02\nVÄNTELISTA BBBB01\nSVARA 2 Ja.\nLISTA\nHej\n"
    decision, _ = apply_commands(
        event, State(registrations=registrations), parse_commands(text), sender=event.organisers[0],
        token_ok=True, now=NOW, message_key="inbox:1", reviews={r.number: r for r in reviews}, token=TOKEN,
    )  # fmt: skip
    templates = set()
    for mail in decision.mails:
        if mail.template.startswith("organiser_"):
            mail.language = lang
        message = render_mail(mail, event, message_id="x@example.se", sent_at=NOW)
        templates.add(mail.template)
        assert message["Subject"]
    assert {"confirmation", "cancellation_receipt", "promoted", "waitlisted", "organiser_answer"} <= templates
    reply = decision.mails[-1]
    subject, body, _ = render_parts(reply, event)
    assert find_token(subject) == TOKEN
    assert "GODKÄNN CCCC01" in body and "AAAA04" in body


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_help_and_refusal_render(event, lang):
    from rules.decision import OutgoingMail

    help_mail = OutgoingMail(template="organiser_help", to="x@example.se", language=lang)
    assert "GODKÄNN" in render_parts(help_mail, event)[1]
    _, results = apply_commands(
        event, State(), parse_commands("GODKÄNN X"), sender=event.organisers[0], token_ok=False, now=NOW,
        message_key="inbox:2", reviews={},
    )  # fmt: skip
    refusal = OutgoingMail(
        template="organiser_reply", to="x@example.se", language=lang,
        context={"results": [r.model_dump() for r in results], "show_help": False, "lists": None,
                 "refused": "no token", "token": None, "event_slug": "dalalab-2024", "answered_at": "2024-08-26 07:00"},
    )  # fmt: skip
    assert "no token" in render_parts(refusal, event)[1]


def _png_colours(data: bytes) -> int:
    """How many distinct pixel values a (non-interlaced, 8-bit) PNG holds, sampled; 1 means blank."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, colour = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, _, colour = struct.unpack(">IIBB", chunk[:10])
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    channels = {2: 3, 6: 4, 0: 1, 4: 2}[colour]
    stride = 1 + width * channels
    # The filter byte of each row changes its bytes, but rows filtered "none" or "sub" still differ between
    # text and background: counting distinct row payloads over a sample is enough to tell blank from not.
    rows = {raw[y * stride + 1 : (y + 1) * stride] for y in range(0, height, 7)}
    return len(rows)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed")
def test_html_digest_renders_in_chromium(event, digest, tmp_path):
    (mail,) = digest
    _, _, html = render_parts(mail, event)
    page = tmp_path / "digest.html"
    page.write_text(html, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    png = ARTIFACTS / "digest-sv.png"
    png.unlink(missing_ok=True)
    subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={png}", "--window-size=1000,1600",
            page.as_uri(),
        ],
        check=True, capture_output=True, timeout=90,
    )  # fmt: skip
    data = png.read_bytes()
    assert len(data) > 20_000
    assert _png_colours(data) > 20
