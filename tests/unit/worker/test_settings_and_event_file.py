"""Bad settings and bad event files stop the service with one sentence naming what is wrong."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import REPO
from worker.clock import Clock
from worker.eventfile import EventFileError, load_event, locate, locate_all
from worker.settings import SettingsError, describe, load_settings

EVENT = REPO / "config/events/dalalab-2024.yaml"


def test_the_dalalab_event_loads_with_its_facts() -> None:
    event = load_event(EVENT)
    assert event.mailbox == "anmalan.dalalab@regiondalarna.se"
    assert event.deadline_at.isoformat() == "2024-08-23T23:59:59+02:00"
    assert [m.date.isoformat() for m in event.meetings] == [
        "2024-09-12",
        "2024-10-23",
        "2024-12-03",
        "2025-02-04",
    ]
    assert event.meeting(3).place is None  # "meddelas senare"
    assert event.cap_per_municipality == 3


@pytest.mark.parametrize(
    ("change", "names"),
    [
        (("cap_per_municipality: 3", "cap_per_municipality: tre"), ["cap_per_municipality"]),
        (("timezone: Europe/Stockholm", "timezone: Europe/Faluun"), ["timezone", "Europe/Faluun"]),
        (("    date: 2024-10-23", "    date: 2024-10-32"), ["meetings.1.date"]),
        (('    end: "15:00"', '    end: "09:00"'), ["träff 1", "not after start"]),
        (("mailbox: anmalan.dalalab@regiondalarna.se", "mailbox: inte-en-adress"), ["mailbox"]),
        (("late_policy: review", "late_policy: maybe"), ["late_policy"]),
    ],
)
def test_a_bad_event_file_names_file_field_and_problem(tmp_path: Path, change, names) -> None:
    text = EVENT.read_text(encoding="utf-8")
    assert change[0] in text
    bad = tmp_path / "event.yaml"
    bad.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(EventFileError) as caught:
        load_event(bad)
    message = str(caught.value)
    assert str(bad) in message
    for name in names:
        assert name in message


def test_broken_yaml_says_where(tmp_path: Path) -> None:
    bad = tmp_path / "event.yaml"
    bad.write_text("slug: x\nmeetings: [\n", encoding="utf-8")
    with pytest.raises(EventFileError, match=r"not valid YAML \(line"):
        load_event(bad)


def test_event_files_are_every_file_in_the_folder_or_the_one_named(tmp_path: Path) -> None:
    with pytest.raises(EventFileError, match="no event file"):
        locate_all(None, tmp_path)
    (tmp_path / "one.yaml").write_text("x: 1")
    assert locate(None, tmp_path) == tmp_path / "one.yaml"
    (tmp_path / "two.yml").write_text("x: 1")
    assert locate_all(None, tmp_path) == [tmp_path / "one.yaml", tmp_path / "two.yml"]
    # Where exactly one is needed, several are named.
    with pytest.raises(EventFileError, match="several event files"):
        locate(None, tmp_path)
    assert locate_all(tmp_path / "two.yml", tmp_path) == [tmp_path / "two.yml"]
    with pytest.raises(EventFileError, match="ANMALAN_EVENT: no such file"):
        locate_all(tmp_path / "missing.yaml", tmp_path)


def test_bad_settings_name_the_variable_and_hide_passwords(monkeypatch) -> None:
    monkeypatch.setenv("ANMALAN_IMAP_PORT", "imap")
    with pytest.raises(SettingsError, match="ANMALAN_IMAP_PORT"):
        load_settings()
    monkeypatch.setenv("ANMALAN_IMAP_PORT", "993")
    monkeypatch.setenv("ANMALAN_IMAP_HOST", "imap.example.se")
    monkeypatch.setenv("ANMALAN_IMAP_PASSWORD", "hemligt-lösen")
    with pytest.raises(SettingsError, match="ANMALAN_IMAP_USER") as caught:
        load_settings()
    assert "hemligt" not in str(caught.value)
    monkeypatch.setenv("ANMALAN_IMAP_USER", "anmalan")
    monkeypatch.setenv("ANMALAN_NOW", "2024-08-12T09:00:00")
    with pytest.raises(SettingsError, match="ANMALAN_NOW"):
        load_settings()  # an instant without offset is ambiguous
    monkeypatch.setenv("ANMALAN_NOW", "2024-08-12T09:00:00+02:00")
    shown = describe(load_settings())
    assert "hemligt" not in str(shown)
    assert shown["ANMALAN_IMAP_PASSWORD"] == "********"


OAUTH_IMAP = {
    "ANMALAN_IMAP_HOST": "outlook.office365.com",
    "ANMALAN_IMAP_USER": "anmalan.dalalab@regiondalarna.se",
    "ANMALAN_IMAP_AUTH": "oauth2",
    "ANMALAN_OAUTH_TENANT": "regiondalarna.se",
    "ANMALAN_OAUTH_CLIENT_ID": "00000000-0000-0000-0000-000000000000",
    "ANMALAN_OAUTH_CLIENT_SECRET": "hemligt-värde",
}


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"ANMALAN_IMAP_AUTH": "oauth"}, "ANMALAN_IMAP_AUTH"),
        ({"ANMALAN_IMAP_USER": ""}, "ANMALAN_IMAP_USER"),
        ({"ANMALAN_OAUTH_TENANT": ""}, "ANMALAN_OAUTH_TENANT"),
        ({"ANMALAN_OAUTH_TOKEN_URL": "https://sso.example.se/token"}, "ANMALAN_OAUTH_TOKEN_URL"),
        ({"ANMALAN_OAUTH_CLIENT_ID": ""}, "ANMALAN_OAUTH_CLIENT_ID"),
        ({"ANMALAN_OAUTH_CLIENT_SECRET": ""}, "ANMALAN_OAUTH_CLIENT_SECRET"),
        ({"ANMALAN_OAUTH_CERT_FILE": "/finns/inte.pem"}, "ANMALAN_OAUTH_CLIENT_SECRET"),
    ],
)
def test_oauth_settings_that_cannot_work_are_named(monkeypatch, change, named) -> None:
    for name, value in {**OAUTH_IMAP, **change}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=named) as caught:
        load_settings()
    assert "hemligt" not in str(caught.value)


def test_oauth_settings_need_no_password_and_default_to_the_exchange_scope(monkeypatch) -> None:
    for name, value in OAUTH_IMAP.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    assert settings.uses_oauth and settings.imap_password is None
    assert settings.oauth_scope_or_default == "https://outlook.office365.com/.default"
    assert describe(settings)["ANMALAN_OAUTH_CLIENT_SECRET"] == "********"


def test_embedded_default_needs_no_server(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ANMALAN_DATA_DIR", str(tmp_path))
    settings = load_settings()
    assert settings.database().startswith("sqlite:///")
    assert settings.broker().startswith("sqla+sqlite:///")
    assert not settings.uses_imap and not settings.uses_smtp
    assert settings.secret() == settings.secret()  # made once, then kept


def test_the_clock_starts_at_now_and_runs_on() -> None:
    real = [datetime(2026, 11, 28, 12, 0, tzinfo=UTC)]
    clock = Clock(datetime(2024, 8, 12, 9, 0, tzinfo=UTC), real_now=lambda: real[0])
    assert clock.now() == datetime(2024, 8, 12, 9, 0, tzinfo=UTC)
    real[0] += timedelta(minutes=3)
    assert clock.now() == datetime(2024, 8, 12, 9, 3, tzinfo=UTC)
    # A message that arrived while the service ran is shifted; one from long before keeps its time.
    assert clock.arrival(real[0]) == datetime(2024, 8, 12, 9, 3, tzinfo=UTC)
    old = datetime(2024, 8, 1, 10, 0, tzinfo=UTC)
    assert clock.arrival(old) == old
