"""The service on OAuth2: sign-ups APPENDed to Dovecot (oauth2 passdb) are confirmed through an SMTP server
that takes only current tokens, while the tokens expire and are refused in the middle of the run."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.stack import Stack
from tests.e2e.test_signup_flow import signup_from
from worker.delivery import REUSE_WITHIN

pytestmark = pytest.mark.servers
STOCKHOLM = ZoneInfo("Europe/Stockholm")

PEOPLE = [
    ("Lars Berg", "lars.berg@rattvik.se", "Rättviks kommun"),
    ("Eva Öberg", "eva.oberg@orsa.se", "Orsa kommun"),
    ("Karin Ström", "karin.strom@mora.se", "Mora kommun"),
]


def test_confirmations_go_out_while_tokens_expire_and_are_refused(
    tmp_path: Path, oauth_imap, oauth_smtp, redis_server, token_server
) -> None:
    token_server.lifetime = 8.0  # the first token: renewed by us after 4 s, dead at the servers after 8 s
    stack = Stack(tmp_path, oauth_imap, oauth_smtp, redis_server).use_oauth(token_server)
    stack.args["worker"] = ["--concurrency", "1"]  # one token cache, so each step below is certain
    stack.start().wait_ready()
    # Between mails the worker's SMTP connection idles past REUSE_WITHIN, so each mail logs in anew.
    pause = REUSE_WITHIN + 1.0
    try:
        for n, (name, address, municipality) in enumerate(PEOPLE):
            if n == 1:
                token_server.lifetime = 600.0  # the renewed token lives long...
                time.sleep(pause)  # ...and the first has expired by both clocks: renewed before use
            if n == 2:
                token_server.expire_all()  # ...but the servers refuse it now, while we hold it as valid
                time.sleep(pause)
            oauth_imap.append(
                signup_from(name, address, municipality, 100 + n),
                internaldate=datetime(2024, 8, 13, 9, n, tzinfo=STOCKHOLM),
            )
            oauth_smtp.wait_for(lambda m, address=address: address in m.rcpt_tos, timeout=30)
    except TimeoutError:
        pytest.fail("a confirmation did not arrive\n" + stack.logs())
    finally:
        stack.stop()
    mails = oauth_smtp.messages
    assert sorted(m.rcpt_tos[0] for m in mails) == sorted(p[1] for p in PEOPLE)
    assert {m.authenticated_as for m in mails} == {token_server.user}
    assert oauth_smtp.logins == [("XOAUTH2", token_server.user)] * 3
    assert oauth_smtp.refusals == 1  # the refused token: one fresh token, one retry, no error
    # The watcher's token, then the worker's first, renewed, and fresh after the refusal.
    assert len(token_server.token_requests()) == 4
    assert "nekade inloggningen" not in stack.logs()
