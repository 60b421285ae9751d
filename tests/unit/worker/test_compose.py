"""docker-compose.yml runs real `anmalan` commands with settings the service knows."""

from __future__ import annotations

import yaml

from tests.conftest import REPO
from worker.cli import app
from worker.settings import Settings


def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_each_service_runs_a_real_anmalan_command() -> None:
    commands = {c.name or c.callback.__name__ for c in app.registered_commands}
    services = compose()["services"]
    ours = {name: s for name, s in services.items() if s.get("image", "").startswith("anmalan")}
    assert set(ours) == {"watcher", "worker", "beat"}
    for name, service in ours.items():
        assert service["command"][0] in commands, name
        assert "healthcheck" in service, name
    assert {"redis", "postgres"} <= set(services)
    assert all("healthcheck" in services[name] for name in ("redis", "postgres"))


def test_each_variable_it_sets_is_a_known_setting() -> None:
    known = {f"ANMALAN_{name.upper()}" for name in Settings.model_fields}
    anchors = compose()["x-anmalan"]["environment"]
    assert set(anchors) <= known, set(anchors) - known
    example = (REPO / "config/.env.example").read_text().splitlines()
    names = {line.split("=", 1)[0].lstrip("# ").strip() for line in example if "=" in line}
    assert names <= known, names - known


def test_the_events_folder_is_mounted_and_no_one_event_file_is_named() -> None:
    anchors = compose()["x-anmalan"]
    assert "ANMALAN_EVENT" not in anchors["environment"]
    assert anchors["environment"]["ANMALAN_EVENTS_DIR"] == "/app/config/events"
    assert any(v.split(":")[:2] == ["./config/events", "/app/config/events"] for v in anchors["volumes"])
    assert "dalalab-2024" not in (REPO / "docker-compose.yml").read_text()
