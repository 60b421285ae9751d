"""Threat: `anmalan forget` leaves the person behind (issue 8, item 9).

After forget, nothing in the data folder or the database names her: not the raw messages she appears
in, not her own duplicate copy (duplicates have no sender), not parsed records or review texts, not the
digests we sent with their xlsx and csv attachments, not the SQLite WAL.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.mails import at, mail
from tests.e2e.test_organiser_by_reply import Scene
from tests.security.limits_kit import running_scene  # noqa: F401 - the `scene` fixture

pytestmark = pytest.mark.servers

KARIN = "karin.lindqvist@falun.se"
TRACES = (KARIN, "Karin Lindqvist", "Lindqvist Karin", "karin.lindqvist")


def _files_naming_her(*roots: Path) -> list[str]:
    found = []
    for root in roots:
        for file in [root] if root.is_file() else root.rglob("*"):
            if file.is_file():
                data = file.read_bytes().lower()
                found += [f"{file.name}: {t}" for t in TRACES if t.lower().encode() in data]
    return found


def _database_files(scene: Scene) -> list[Path]:
    """The SQLite database with its WAL and shared-memory files."""
    return [p for p in scene.stack.tmp.iterdir() if p.name.startswith("anmalan.sqlite3")]


def test_forget_leaves_no_trace_of_her_in_the_data_folder_or_the_database(scene: Scene) -> None:
    signup = mail(
        f"Karin Lindqvist <{KARIN}>",
        "Anmälan lärprojektet",
        "Hej!\n\nJag anmäler mig till alla träffar. Jag är glutenintolerant.\n\n"
        "Med vänlig hälsning\nKarin Lindqvist\nSamhällsplanerare\nFalu kommun\n",
        sent=at("2024-08-12 09:00"),
    )
    scene.send(signup, "2024-08-12 09:00")
    scene.wait(KARIN, "Anmälan bekräftad")
    scene.send(
        signup, "2024-08-12 09:01"
    )  # the same mail delivered twice: a duplicate, stored without sender
    # A colleague's question names her: a review item quoting her name, shown in the digest.
    scene.send(
        mail(
            "Olof Hansson <olof.hansson@falun.se>",
            "Fråga om rum",
            "Hej!\n\nKan jag och Karin Lindqvist sitta vid samma bord på träffarna? Vi åker tillsammans.\n\n"
            "Mvh Olof Hansson\nFalu kommun\n",
            sent=at("2024-08-12 09:30"),
        ),
        "2024-08-12 09:30",
    )
    scene.wait("olof.hansson@falun.se")
    digest = scene.digest()  # with the participant list as xlsx and csv
    assert any(part.get_filename() for part in digest.iter_attachments())
    var = scene.stack.tmp / "var"
    before = _files_naming_her(var, *_database_files(scene))
    assert before, "the scene should have stored her name before forget"

    done = scene.stack.cli("forget", KARIN, "--yes")
    assert "glömt: 1 anmälningar" in done.stdout, done.stdout + done.stderr

    assert KARIN not in {r["email"] for r in scene.stack.registrations()}
    assert _files_naming_her(var, *_database_files(scene)) == []
    # Her colleague's registration-free question is still there for the organiser, without her name.
    digest = scene.digest()
    body = digest.get_body(preferencelist=("plain",)).get_content()
    assert "Lindqvist" not in body
    assert "olof.hansson@falun.se" in body or "Olof" in body
