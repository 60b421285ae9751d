"""A throwaway PostgreSQL cluster on a free loopback port (Debian's server binaries, initdb + postgres)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.servers import free_port


class PostgresMissing(RuntimeError):
    pass


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or (
        [shutil.which(name)] if shutil.which(name) else []
    )
    if not found:
        raise PostgresMissing(
            f"{name} not found: install the Debian package postgresql (scripts/install-test-deps.sh)"
        )
    return found[-1]


class PostgresServer:
    """`url` is a SQLAlchemy-ready postgresql:// URL for the database `anmalan`."""

    host = "127.0.0.1"

    def __init__(self) -> None:
        # Its own directory, not pytest's: the postgres user cannot enter pytest's private (0700) tmp.
        self.dir = Path(tempfile.mkdtemp(prefix="anmalan-pg-"))
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        # PostgreSQL refuses to run as root: run it as the postgres system user when we are root.
        self.run_as = "postgres" if os.geteuid() == 0 else None

    @property
    def url(self) -> str:
        return f"postgresql://anmalan@{self.host}:{self.port}/anmalan"

    def _cmd(self, *argv: str) -> list[str]:
        return ["runuser", "-u", self.run_as, "--", *argv] if self.run_as else list(argv)

    def start(self) -> PostgresServer:
        data, sock = self.dir / "data", self.dir / "sock"
        data.mkdir(parents=True, exist_ok=True)
        sock.mkdir(exist_ok=True)
        if self.run_as:
            user = pwd.getpwnam(self.run_as)
            for path in (self.dir, data, sock):
                os.chown(path, user.pw_uid, user.pw_gid)
        subprocess.run(
            self._cmd(
                _bin("initdb"), "-D", str(data), "-U", "anmalan", "--auth=trust", "-E", "UTF8", "--no-sync"
            ),
            check=True,
            capture_output=True,
        )
        log = open(self.dir / "postgres.log", "ab")  # noqa: SIM115 - lives as long as the server
        self.proc = subprocess.Popen(
            self._cmd(
                _bin("postgres"),
                "-D",
                str(data),
                "-h",
                self.host,
                "-p",
                str(self.port),
                "-k",
                str(sock),
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self._wait_and_create_database()
        return self

    def _wait_and_create_database(self, timeout: float = 30.0) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(
                    host=self.host, port=self.port, user="anmalan", dbname="postgres", autocommit=True
                ) as conn:
                    conn.execute("CREATE DATABASE anmalan")
                    return
            except psycopg.OperationalError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    tail = (self.dir / "postgres.log").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"PostgreSQL did not start:\n{tail}") from None
                time.sleep(0.2)

    def fresh_database(self, name: str) -> str:
        """An empty database of its own on this server (dropped and made again); its URL."""
        import psycopg

        with psycopg.connect(
            host=self.host, port=self.port, user="anmalan", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        return f"postgresql://anmalan@{self.host}:{self.port}/{name}"

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        shutil.rmtree(self.dir, ignore_errors=True)
