"""The embedded mailbox: a Maildir folder the operator made by hand is used as it is."""

from __future__ import annotations

from pathlib import Path

from worker.sources import MaildirSource


def test_an_existing_empty_folder_becomes_a_maildir_and_its_mail_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "mailbox"
    folder.mkdir()  # exists, but has no new/, cur/ or tmp/: a fresh volume, or made by hand
    source = MaildirSource(folder)
    assert list(source.fetch_new(set())) == []
    (folder / "new" / "1700000000.M1P1.host").write_bytes(
        b"From: a@falun.se\r\nSubject: Anmalan\r\n\r\nHej\r\n"
    )
    [fetched] = list(source.fetch_new(set()))
    assert fetched.uid == "1700000000.M1P1.host" and fetched.raw.startswith(b"From: a@falun.se")
