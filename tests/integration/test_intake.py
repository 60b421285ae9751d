"""The watcher against a real Dovecot: store first, never touch the mailbox, never take a message twice."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from store.tables import InboxMessage
from tests.conftest import REPO
from worker.bootstrap import build
from worker.settings import Settings
from worker.watch import Watcher

pytestmark = pytest.mark.servers
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def message(n: int) -> bytes:
    return (
        f"From: Test Person {n} <person{n}@falun.se>\r\nTo: anmalan.dalalab@regiondalarna.se\r\n"
        f"Subject: Anmälan {n}\r\nMessage-ID: <intake-{n}@falun.se>\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\nJag anmäler mig. /Person {n}\r\n"
    ).encode()


def imap_service(server, data_dir: Path):
    """The service pointed at a test Dovecot, as an operator's settings would."""
    return build(
        Settings(
            imap_host=server.host,
            imap_port=server.port,
            imap_user=server.user,
            imap_password=server.password,
            imap_ssl=False,
            data_dir=data_dir,
            event=REPO / "config/events/dalalab-2024.yaml",
        )
    )


@pytest.fixture
def service(tmp_path: Path, imap):
    svc = imap_service(imap, tmp_path)
    yield svc
    svc.db.dispose()


def rows(svc) -> list[InboxMessage]:
    with svc.db.unit_of_work() as session:
        return list(session.execute(select(InboxMessage).order_by(InboxMessage.id)).scalars())


def test_messages_are_stored_raw_with_position_and_arrival(service, imap) -> None:
    arrived = datetime(2024, 8, 20, 14, 5, tzinfo=STOCKHOLM)
    imap.append(message(1), internaldate=arrived)
    imap.append(message(2))
    queued: list[int] = []
    watcher = Watcher(service, enqueue=queued.append)

    first = watcher.check_once()
    again = watcher.check_once()

    stored = rows(service)
    assert first == queued == [r.id for r in stored]
    assert again == []
    assert [r.message_id for r in stored] == ["intake-1@falun.se", "intake-2@falun.se"]
    assert stored[0].raw == message(1)
    assert stored[0].received_at == arrived  # INTERNALDATE, not the Date header
    assert stored[0].uidvalidity == imap.uidvalidity()
    assert [r.uid for r in stored] == [str(m.uid) for m in imap.messages()]
    assert not any(m.seen for m in imap.messages())  # organisers' unread mail stays unread


def test_a_uidvalidity_change_processes_nothing_twice_and_skips_nothing(service, imap) -> None:
    imap.append(message(1))
    imap.append(message(2))
    queued: list[int] = []
    watcher = Watcher(service, enqueue=queued.append)
    watcher.check_once()
    before = imap.uidvalidity()

    imap.recreate_folder(keep_messages=True)  # the server renumbers the folder
    imap.append(message(3))
    assert imap.uidvalidity() != before
    watcher.check_once()

    stored = rows(service)
    assert [(r.message_id, r.status) for r in stored] == [
        ("intake-1@falun.se", "new"),
        ("intake-2@falun.se", "new"),
        ("intake-1@falun.se", "duplicate"),
        ("intake-2@falun.se", "duplicate"),
        ("intake-3@falun.se", "new"),
    ]
    assert queued == [stored[0].id, stored[1].id, stored[4].id]


def test_idle_wakes_the_watcher_when_mail_arrives(service, imap) -> None:
    queued: list[int] = []
    stop = threading.Event()
    watcher = Watcher(service, enqueue=queued.append, stop=stop)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        time.sleep(1.0)  # connected and idling
        imap.append(message(7))
        deadline = time.monotonic() + 5
        while not queued and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(queued) == 1, "IDLE did not report the new message within 5 s"
    finally:
        stop.set()


def test_the_embedded_maildir_is_read_without_moving_anything(tmp_path: Path) -> None:
    import mailbox

    svc = build(Settings(data_dir=tmp_path, event=REPO / "config/events/dalalab-2024.yaml"))
    box = mailbox.Maildir(svc.settings.maildir, create=True)
    box.add(message(1))
    box.add(message(2))
    names = sorted(p.name for p in (svc.settings.maildir / "new").iterdir())
    queued: list[int] = []
    watcher = Watcher(svc, enqueue=queued.append)
    assert len(watcher.check_once()) == 2
    assert watcher.check_once() == []
    assert sorted(p.name for p in (svc.settings.maildir / "new").iterdir()) == names


def test_the_watcher_rides_out_a_server_outage(tmp_path: Path) -> None:
    from tests.servers import DovecotServer

    with DovecotServer(tmp_path / "dovecot") as server:
        svc = imap_service(server, tmp_path)
        queued: list[int] = []
        stop = threading.Event()
        thread = threading.Thread(target=Watcher(svc, enqueue=queued.append, stop=stop).run, daemon=True)
        thread.start()

        def wait_for(count: int, seconds: float) -> None:
            deadline = time.monotonic() + seconds
            while len(queued) < count and time.monotonic() < deadline:
                time.sleep(0.05)
            assert len(queued) == count, f"{len(queued)} of {count} messages after {seconds} s"

        try:
            server.append(message(1))
            wait_for(1, 10)
            server.pause()  # the connection drops; the watcher backs off and tries again
            time.sleep(3)
            server.resume()
            server.append(message(2))
            wait_for(2, 20)
            assert thread.is_alive()
        finally:
            stop.set()
            svc.db.dispose()
    assert len(set(queued)) == 2
