"""Engine and unit of work: SQLite by default (writers serialised), PostgreSQL by URL."""

from __future__ import annotations

import logging
import random
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Connection,
    CursorResult,
    Engine,
    Executable,
    create_engine,
    event,
    inspect,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from store.tables import Base, EventRow

log = logging.getLogger(__name__)

MAX_WAIT = 30.0  # seconds between tries at most: a database back from maintenance is used within that
_SETTINGS_WRONG = ("authentication failed", "does not exist", "unable to open database file")


class SchemaError(Exception):
    """The database cannot be brought to this version's schema; the message says what to do."""


class Database:
    """One engine and its session factory; `unit_of_work()` is one transaction."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def wait_until_reachable(self, *, sleep=time.sleep) -> None:
        """Wait out a database that refuses connections (restarting, every connection taken), trying
        again with back-off; a process never exits for that."""
        delay = 0.5
        while True:
            try:
                with self.engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
                return
            except OperationalError as exc:
                reason = str(exc.orig or exc).strip().splitlines()[0][:200]
                if any(word in reason for word in _SETTINGS_WRONG):
                    raise  # time will not mend a wrong password or name; the operator is told
                log.warning(
                    "database %s unreachable (%s); trying again in %.0f s",
                    self.engine.url.render_as_string(hide_password=True),
                    reason,
                    delay,
                )
            sleep(delay * (0.75 + random.random() / 2))
            delay = min(delay * 2, MAX_WAIT)

    def create_schema(self) -> None:
        """Bring the schema to this version's (Alembic migrations); a new database is created whole.

        Processes started together (compose's scaled workers on a new volume) take turns: the first upgrades,
        the others wait for it and then find nothing to do.
        """
        config = alembic_config()
        with self.engine.connect() as connection, _migration_lock(connection):
            tables = set(inspect(connection).get_table_names())
            if tables and "alembic_version" not in tables:
                raise SchemaError(
                    "the database was made by a development version of anmalan without migrations; "
                    "move it aside (its data can be read again from the mailbox with `anmalan backfill`)"
                )
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """Commit on success, roll back on any error; the caller never commits by hand."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def compact(self) -> None:
        """Rewrite the database so that deleted and overwritten data is gone from the files too (after
        `forget`): SQLite's WAL is checkpointed and the file vacuumed; PostgreSQL's tables are rewritten
        (VACUUM FULL), which also drops the old row versions an UPDATE leaves behind."""
        # On the driver's own connection: VACUUM may not run inside a transaction, and our engine begins
        # every SQLite transaction itself (BEGIN IMMEDIATE).
        self.engine.dispose()
        connection = self.engine.raw_connection()
        try:
            if self.engine.dialect.name == "sqlite":
                statements = ["PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"]
            else:
                connection.driver_connection.autocommit = True  # type: ignore[union-attr]
                statements = [f"VACUUM FULL {', '.join(Base.metadata.tables)}"]
            cursor = connection.cursor()
            for statement in statements:
                cursor.execute(statement)
                if cursor.description:
                    cursor.fetchall()
            cursor.close()
        finally:
            connection.close()

    def dispose(self) -> None:
        self.engine.dispose()


# Any fixed number, the same in every process of every version: the key of PostgreSQL's advisory lock.
MIGRATION_LOCK_KEY = 0x616E6D61  # "anma"


@contextmanager
def _migration_lock(connection: Connection) -> Iterator[None]:
    """Hold the database-wide migration lock while the block runs.

    PostgreSQL: a session advisory lock, which outlives the upgrade's own commits and is released even if the
    process dies. SQLite: the connection's first statement opens BEGIN IMMEDIATE (see
    _serialise_sqlite_writers), the database's write lock, held until the upgrade commits.
    """
    if connection.dialect.name != "postgresql":
        connection.execute(select(1))
        yield
        return
    connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    connection.commit()  # the lock is the session's; the inspection after it must see committed tables
    try:
        yield
    finally:
        connection.rollback()  # a failed upgrade leaves the connection in an aborted transaction
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
        connection.commit()


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    return config


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        _serialise_sqlite_writers(engine)
        return engine
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return create_engine(url, pool_pre_ping=True)


def _serialise_sqlite_writers(engine: Engine) -> None:
    """BEGIN IMMEDIATE: a transaction takes the write lock at its start, so two workers deciding
    about seats never interleave (SQLite's stand-in for PostgreSQL's row lock)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let us issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL cannot corrupt the database; a power cut may undo the last commits, and an
        # undone intake also undoes its cursor, so the message is fetched again: nothing is lost.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def changed_rows(session: Session, statement: Executable) -> int:
    """Run a bulk UPDATE or DELETE; how many rows it changed."""
    return cast(CursorResult, session.execute(statement)).rowcount or 0


def lock_event(session: Session, slug: str) -> EventRow:
    """Take the event's lock for the rest of the transaction (row lock on PostgreSQL), creating the row."""
    # Insert-if-missing first, so that two workers starting on an empty database do not both create it.
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # A new event row starts at a random version, so no worker's memory of an earlier database (dropped and
    # made again under the same URL) can ever match it.
    fresh = insert(EventRow).values(slug=slug, version=secrets.randbits(30))
    session.execute(fresh.on_conflict_do_nothing(index_elements=["slug"]))
    return session.execute(select(EventRow).where(EventRow.slug == slug).with_for_update()).scalar_one()
