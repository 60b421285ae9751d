"""Engine and unit of work: SQLite by default (writers serialised), PostgreSQL by URL."""

from __future__ import annotations

import fcntl
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from store.tables import EventRow

# Any fixed number: the advisory lock that serialises schema upgrades on PostgreSQL.
_SCHEMA_LOCK = 4_202_412


class SchemaError(Exception):
    """The database cannot be brought to this version's schema; the message says what to do."""


class Database:
    """One engine and its session factory; `unit_of_work()` is one transaction."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def create_schema(self) -> None:
        """Bring the schema to this version's (Alembic migrations); a new database is created whole."""
        config = alembic_config()
        # The watcher, the workers and beat start together on a new database: one migrates, the others
        # wait and then find it done (unserialised, two ran the same ALTER TABLE and one died).
        with self._schema_lock():
            tables = set(inspect(self.engine).get_table_names())
            if tables and "alembic_version" not in tables:
                raise SchemaError(
                    "the database was made by a development version of anmalan without migrations; "
                    "move it aside (its data can be read again from the mailbox with `anmalan backfill`)"
                )
            with self.engine.connect() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                connection.commit()

    @contextmanager
    def _schema_lock(self) -> Iterator[None]:
        """One migrating process at a time: an advisory lock on PostgreSQL, a lock file beside SQLite's."""
        if self.engine.dialect.name == "postgresql":
            with self.engine.connect() as holder:
                holder.exec_driver_sql(f"SELECT pg_advisory_lock({_SCHEMA_LOCK})")
                try:
                    yield
                finally:
                    holder.exec_driver_sql(f"SELECT pg_advisory_unlock({_SCHEMA_LOCK})")
                    holder.commit()
            return
        path = self.engine.url.database
        if not path or path == ":memory:":
            yield
            return
        with open(f"{path}.migrate-lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

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

    def dispose(self) -> None:
        self.engine.dispose()


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


def lock_event(session: Session, slug: str) -> EventRow:
    """Take the event's lock for the rest of the transaction (row lock on PostgreSQL), creating the row."""
    # Insert-if-missing first, so that two workers starting on an empty database do not both create it.
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # A new event row starts at a random version, so no worker's memory of an earlier database (dropped and
    # made again under the same URL) can ever match it.
    fresh = insert(EventRow).values(slug=slug, version=secrets.randbits(30))
    session.execute(fresh.on_conflict_do_nothing(index_elements=["slug"]))
    return session.execute(select(EventRow).where(EventRow.slug == slug).with_for_update()).scalar_one()
