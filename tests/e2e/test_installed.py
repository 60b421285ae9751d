"""A plain `pip install .` (no extras, not editable) runs as deployed: compose's services, and the demo anywhere."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from tests.e2e.stack import REPO, Stack
from tests.e2e.test_signup_flow import SIGNUP

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.mark.servers
def test_the_compose_deployment_rehearsed_without_docker_confirms_a_signup(
    installed: Path, tmp_path: Path, imap, smtp, redis_server, postgres
) -> None:
    """watch, worker and beat as compose starts them, on Redis and a new PostgreSQL database."""
    services = compose()["services"]
    parts = {name: services[name]["command"] for name in ("watcher", "worker", "beat")}
    stack = Stack(
        tmp_path,
        imap,
        smtp,
        redis_server,
        database_url=postgres.fresh_database("compose_rehearsal"),
        anmalan=[str(installed / "anmalan")],
    )
    stack.env["ANMALAN_TEMPLATES_DIR"] = str(REPO / "config" / "templates")
    # Compose mounts the events folder and names no one file: every event in it is served.
    del stack.env["ANMALAN_EVENT"]
    stack.env["ANMALAN_EVENTS_DIR"] = str(REPO / "config" / "events")
    # Compose sets these for every service; the rehearsal points each at its test server or folder.
    assert set(compose()["x-anmalan"]["environment"]) <= set(stack.env)
    stack.start(*(command for [command] in parts.values()))
    try:
        stack.wait_ready(timeout=60)
        imap.append(SIGNUP, internaldate=datetime(2024, 8, 13, 8, 55, tzinfo=STOCKHOLM))
        [mail] = smtp.wait_for(lambda m: "karin.strom@mora.se" in m.rcpt_tos, timeout=30)
        for part, proc in stack.procs.items():
            assert proc.poll() is None, f"anmalan {part} stopped:\n{stack.logs()}"
    except TimeoutError:
        pytest.fail("no confirmation within 30 s\n" + stack.logs())
    finally:
        stack.stop()
    assert mail.message["Subject"].startswith("Anmälan bekräftad")
    assert "ModuleNotFoundError" not in stack.logs()


def test_the_demo_of_a_plain_install_runs_from_any_folder(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANMALAN_")}
    env["ANMALAN_DATA_DIR"] = str(tmp_path / "var")
    done = subprocess.run(
        [str(installed / "anmalan"), "demo"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    sent = sorted((tmp_path / "var" / "demo" / "outgoing").glob("*.eml"))
    assert sent and f"{len(sent)} bekräftelser och svar finns" in done.stdout
