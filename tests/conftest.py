"""Shared test setup: the real-server fixtures and where the shared corpus lives."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["tests.server_fixtures"]

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


# Fixtures that start a server (or, for `installed`, fetch packages into a fresh venv).
SERVER_FIXTURES = frozenset(
    {"dovecot", "imap", "smtp_server", "smtp", "redis_server", "postgres", "installed"}
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that asks for a server is a `servers` test, marked by hand or not, so `pytest -m "not servers"`
    (the fast path: no root, no servers) never starts one."""
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.servers)


@pytest.fixture(scope="session")
def postgres():
    """A private PostgreSQL server for the session (never the machine's own on 5432)."""
    from tests.postgres import PostgresMissing, PostgresServer

    server = PostgresServer()
    try:
        server.start()
    except PostgresMissing as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> Path:
    """The bin folder of a venv holding a plain `pip install .` of this checkout, made once per session."""
    from tests.installed import install

    return install(tmp_path_factory.mktemp("installed"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.fail(
            f"the shared corpus is missing: expected {SHARED}/corpus beside the checkout", pytrace=False
        )
    return SHARED
