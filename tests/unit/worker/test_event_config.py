"""Every event file in the folder is served; one not yet complete is set aside with what it lacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.events import OTHER, two_events, write_event
from worker.bootstrap import EventChoiceError, Service, load_events, mailbox_settings
from worker.clock import Clock
from worker.eventfile import EventFileError, IncompleteEvent, load_event
from worker.settings import Settings, SettingsError


def _service(folder: Path) -> Service:
    events, paths, incomplete = load_events(Settings(), folder)
    return Service(Settings(), events, paths, Clock(), db=None, incomplete=incomplete)  # type: ignore[arg-type]


def test_every_file_is_loaded_and_one_event_is_chosen_by_slug(tmp_path: Path) -> None:
    svc = _service(two_events(tmp_path))
    assert svc.slugs == ["dalalab-2024", OTHER["slug"]]
    assert svc.at(OTHER["slug"]).event.name == OTHER["name"]
    assert [view.event.slug for view in svc.each()] == svc.slugs
    # With several events, nothing that forgot to choose one gets one by chance.
    with pytest.raises(EventChoiceError, match=r"dalalab-2024, vindkraft-2024.*--event SLUG"):
        _ = svc.event
    with pytest.raises(EventChoiceError, match="välj ett med --event"):
        svc.choose(None)
    with pytest.raises(EventChoiceError, match=r"no event 'nope'; there are: dalalab-2024, vindkraft-2024"):
        svc.choose("nope")


def test_the_only_event_is_the_default(tmp_path: Path) -> None:
    write_event(tmp_path)
    svc = _service(tmp_path)
    assert svc.event.slug == "dalalab-2024"
    assert svc.choose(None).event.slug == "dalalab-2024"


def test_anmalan_event_names_just_that_event(tmp_path: Path) -> None:
    two_events(tmp_path)
    events, _, _ = load_events(Settings(event=tmp_path / "vindkraft-2024.yaml"), tmp_path)
    assert list(events) == ["vindkraft-2024"]


def test_two_files_with_one_slug_are_refused(tmp_path: Path) -> None:
    write_event(tmp_path)
    write_event(tmp_path, name="copy")
    with pytest.raises(EventFileError, match="slug 'dalalab-2024' is also the slug of"):
        load_events(Settings(), tmp_path)


def test_a_file_without_dates_is_set_aside_and_says_what_it_lacks(tmp_path: Path) -> None:
    write_event(tmp_path)
    draft = write_event(tmp_path, {**OTHER, "deadline": None, "meetings": [{"number": 1, "theme": "x"}]})
    with pytest.raises(IncompleteEvent, match=r"missing: deadline, meetings.1.date") as caught:
        load_event(draft)
    assert caught.value.missing == ["deadline", "meetings.1.date"]
    events, _, incomplete = load_events(Settings(), tmp_path)
    assert list(events) == ["dalalab-2024"]
    assert [i.path for i in incomplete] == [draft]
    # Named on its own it cannot run, and says why.
    with pytest.raises(IncompleteEvent):
        load_events(Settings(event=draft), tmp_path)
    # Whatever else is wrong is said with it, not after the dates are filled in.
    broken = write_event(tmp_path, {**OTHER, "deadline": None, "cap_per_municipality": 0}, name="broken")
    with pytest.raises(EventFileError, match="cap_per_municipality") as caught_broken:
        load_event(broken)
    assert not isinstance(caught_broken.value, IncompleteEvent)


def test_an_event_may_name_its_folder_or_its_own_login(tmp_path: Path, monkeypatch) -> None:
    base = Settings(imap_host="imap.example.se", imap_user="anmalan@x.se", imap_password="pw")
    folder = load_event(write_event(tmp_path, {"imap_folder": "Vindkraft"}))
    assert mailbox_settings(base, folder).imap_folder == "Vindkraft"
    assert mailbox_settings(base, folder).imap_user == "anmalan@x.se"
    assert mailbox_settings(base, folder).mailbox_name().endswith("/Vindkraft")
    own = load_event(write_event(tmp_path, {"imap_user": "vind@x.se", "imap_password_env": "VIND_PASSWORD"}))
    with pytest.raises(SettingsError, match="VIND_PASSWORD, which is not set"):
        mailbox_settings(base, own)
    monkeypatch.setenv("VIND_PASSWORD", "secret")
    login = mailbox_settings(base, own)
    assert (login.imap_user, login.imap_password.get_secret_value()) == ("vind@x.se", "secret")  # type: ignore[union-attr]
    assert login.imap_folder == "INBOX"
    # The embedded Maildir keeps another folder as a Maildir++ subfolder.
    assert (
        mailbox_settings(Settings(data_dir=tmp_path), folder).maildir == tmp_path / "mailbox" / ".Vindkraft"
    )
