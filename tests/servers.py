"""Real Dovecot, SMTP and Redis servers for tests, each on a free loopback port with throwaway config."""

from __future__ import annotations

import asyncio
import contextlib
import grp
import imaplib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from imap_tools import MailBoxUnencrypted
from imap_tools.imap_utf7 import utf7_encode

# Debian keeps daemons in sbin, which is not on a normal user's PATH.
_EXTRA_BIN_DIRS = ("/usr/sbin", "/usr/local/sbin", "/sbin")

# Which Debian package provides each binary, so a missing one can be named in the error.
PACKAGES = {"dovecot": "dovecot-imapd", "doveadm": "dovecot-core", "redis-server": "redis-server"}

# A free port can be taken by someone else between free_port() and bind(); other engineers run
# the same fixtures at the same time, so a start that loses that race tries a fresh port.
_START_ATTEMPTS = 3


class MissingServerBinary(RuntimeError):
    """A server program is not installed; the message says which package provides it."""

    def __init__(self, binary: str) -> None:
        package = PACKAGES.get(binary, binary)
        super().__init__(
            f"{binary!r} not found. Install it with `apt-get install {package}` "
            f"(or run scripts/install-test-deps.sh as root)."
        )
        self.binary = binary
        self.package = package


def find_binary(name: str) -> str:
    """Return the path of a server binary, looking in sbin too, or raise MissingServerBinary."""
    path = os.environ.get("PATH", os.defpath) + os.pathsep + os.pathsep.join(_EXTRA_BIN_DIRS)
    found = shutil.which(name, path=path)
    if found is None:
        raise MissingServerBinary(name)
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log written)"


def _stop_process(proc: subprocess.Popen[bytes] | None, timeout: float = 5.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout)


# --------------------------------------------------------------------------- IMAP (Dovecot)


@dataclass(frozen=True)
class StoredMessage:
    """One message as the IMAP server holds it."""

    uid: int
    flags: tuple[str, ...]
    internaldate: datetime
    raw: bytes

    @property
    def seen(self) -> bool:
        return "\\Seen" in self.flags


_FETCH_UID = re.compile(rb"UID (\d+)")
_FETCH_FLAGS = re.compile(rb"FLAGS \(([^)]*)\)")
_FETCH_DATE = re.compile(rb'INTERNALDATE "([^"]+)"')


class DovecotServer:
    """A private Dovecot (IMAP only, plaintext LOGIN, one Maildir user) on 127.0.0.1:<free port>."""

    host = "127.0.0.1"

    def __init__(
        self, tmpdir: str | os.PathLike[str], user: str = "anmalan", password: str = "test-password"
    ):
        self.tmpdir = Path(tmpdir)
        self.user = user
        self.password = password
        self.port = 0
        self.conf = self.tmpdir / "dovecot.conf"
        self.log = self.tmpdir / "dovecot.log"
        self._runtime: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    # -- lifecycle

    def start(self) -> DovecotServer:
        dovecot = find_binary("dovecot")
        self.tmpdir.mkdir(parents=True, exist_ok=True)
        self._make_runtime_dir()
        for attempt in range(_START_ATTEMPTS):
            self.port = free_port()
            self._write_config()
            self.log.unlink(missing_ok=True)
            with open(self.tmpdir / "dovecot.stderr", "wb") as stderr:
                self._proc = subprocess.Popen(
                    [dovecot, "-F", "-c", str(self.conf)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=stderr,
                )
            try:
                self._wait_until_login_works(timeout=15)
                return self
            except RuntimeError:
                _stop_process(self._proc)
                if attempt + 1 < _START_ATTEMPTS and "Address already in use" in _tail(self.log):
                    continue
                self._remove_runtime_dir()
                raise
        raise AssertionError("unreachable")

    def pause(self) -> None:
        """Stop the server but keep its port, config and mail: an outage, as clients see it."""
        _stop_process(self._proc)
        self._proc = None

    def resume(self) -> None:
        """Start again after pause(), on the same port with the same mail."""
        with open(self.tmpdir / "dovecot.stderr", "ab") as stderr:
            self._proc = subprocess.Popen(
                [find_binary("dovecot"), "-F", "-c", str(self.conf)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        self._wait_until_login_works(timeout=15)

    def stop(self) -> None:
        # SIGTERM to the master (in -F mode) shuts down every child process with it.
        _stop_process(self._proc)
        self._proc = None
        self._remove_runtime_dir()

    def __enter__(self) -> DovecotServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _make_runtime_dir(self) -> None:
        # Sockets (base_dir) and mail live in a short path outside tmpdir: unix socket paths are
        # limited to 108 bytes, and when we run as root the mail user (nobody) must be able to reach
        # the Maildir, which it cannot through pytest's private 0700 temp directories.
        self._runtime = Path(tempfile.mkdtemp(prefix="anmalan-dovecot-"))
        self._runtime.chmod(0o755)
        for sub in ("run", "state", "mail"):
            (self._runtime / sub).mkdir()
        uid, gid = self._mail_ids()
        if os.geteuid() == 0:
            os.chown(self._runtime / "mail", uid, gid)

    def _remove_runtime_dir(self) -> None:
        if self._runtime is not None:
            shutil.rmtree(self._runtime, ignore_errors=True)
            self._runtime = None

    @staticmethod
    def _mail_ids() -> tuple[int, int]:
        if os.geteuid() != 0:
            return os.geteuid(), os.getegid()
        # Dovecot refuses mail access as uid 0, so mail is owned by the unprivileged `nobody`.
        nobody = pwd.getpwnam("nobody")
        return nobody.pw_uid, nobody.pw_gid

    def _write_config(self) -> None:
        assert self._runtime is not None
        uid, gid = self._mail_ids()
        home = self._runtime / "mail" / self.user
        # Beside the Maildir rather than in tmpdir: the auth process runs as `dovecot` and must read it.
        passwd = self._runtime / "passwd"
        # passwd-file: user:password:uid:gid:gecos:home:shell:extra
        passwd.write_text(f"{self.user}:{{PLAIN}}{self.password}:{uid}:{gid}::{home}::\n")
        if os.geteuid() == 0:
            # These users come with the dovecot-core package.
            privileges = "default_internal_user = dovecot\ndefault_login_user = dovenull\n"
            chroot = ""
        else:
            # Unprivileged: every Dovecot process runs as us, and chroot needs root.
            me = pwd.getpwuid(os.geteuid()).pw_name
            group = grp.getgrgid(os.getegid()).gr_name
            privileges = (
                f"default_internal_user = {me}\ndefault_internal_group = {group}\ndefault_login_user = {me}\n"
            )
            chroot = "  chroot =\n"
        self.conf.write_text(
            f"""# Throwaway Dovecot {_dovecot_version()} config written by tests/servers.py.
protocols = imap
listen = 127.0.0.1
instance_name = anmalan-test-{self.port}
base_dir = {self._runtime / "run"}
state_dir = {self._runtime / "state"}
log_path = {self.log}
ssl = no
# Dovecot waits 2 s before answering a failed login; tests that check refusals need not wait.
auth_failure_delay = 0
disable_plaintext_auth = no
{privileges}mail_uid = {uid}
mail_gid = {gid}
first_valid_uid = {min(uid, 500)}
first_valid_gid = {min(gid, 1)}
mail_location = maildir:~/Maildir
# IDLE learns of new mail by inotify; the interval is the fallback, kept short for tests.
mailbox_idle_check_interval = 1 secs
{self._auth_config(passwd)}service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
{chroot}}}
service anvil {{
{chroot}}}
"""
        )

    def _auth_config(self, passwd: Path) -> str:
        """Mechanisms, passdb and userdb: a password for the one user."""
        return f"""auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {passwd}
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {passwd}
}}
"""

    def _wait_until_login_works(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None or "Fatal:" in _tail(self.log):
                break
            try:
                with imaplib.IMAP4(self.host, self.port, timeout=2) as client:
                    client.login(self.user, self.password)
                    client.logout()
                return
            except (OSError, imaplib.IMAP4.error) as error:
                last_error = error
                time.sleep(0.05)
        stderr = _tail(self.tmpdir / "dovecot.stderr")
        raise RuntimeError(
            f"Dovecot did not accept LOGIN on {self.host}:{self.port} within {timeout:.0f}s "
            f"(exit code {self._proc.poll() if self._proc else None}, last error {last_error!r}).\n"
            f"--- {self.log} ---\n{_tail(self.log)}\n--- stderr ---\n{stderr}"
        )

    # -- mailbox operations, all through real IMAP

    @contextlib.contextmanager
    def mailbox(self) -> Iterator[MailBoxUnencrypted]:
        """An imap-tools MailBoxUnencrypted (plain IMAP, no TLS) logged in as the test user."""
        with MailBoxUnencrypted(self.host, self.port, timeout=10).login(self.user, self.password) as box:
            yield box

    def append(self, raw: bytes, folder: str = "INBOX", internaldate: datetime | None = None) -> None:
        """APPEND raw bytes without flags (so not \\Seen); a naive internaldate is taken as UTC."""
        if internaldate is not None and internaldate.tzinfo is None:
            # imaplib would read a naive time as the machine's local time; tests must not depend on TZ.
            internaldate = internaldate.replace(tzinfo=UTC)
        with self.mailbox() as box:
            if not box.folder.exists(folder):
                box.folder.create(folder)
            box.append(raw, folder, dt=internaldate, flag_set=())

    def uidvalidity(self, folder: str = "INBOX") -> int:
        with self.mailbox() as box:
            return box.folder.status(folder, ["UIDVALIDITY"])["UIDVALIDITY"]

    def messages(self, folder: str = "INBOX") -> list[StoredMessage]:
        """Every message in the folder, read with BODY.PEEK so that reading sets no flag."""
        with self.mailbox() as box:
            return _fetch_all(box.client, folder)

    def recreate_folder(self, folder: str = "INBOX", keep_messages: bool = False) -> None:
        """Delete and recreate a folder so that its UIDVALIDITY changes and UIDs start again at 1.

        With keep_messages the old messages are appended again with their flags and internaldates:
        what a client sees after its provider migrates or rebuilds the mailbox.
        """
        # Separate connections: a session that has the folder selected sees it "deleted under us".
        kept = self.messages(folder) if keep_messages else []
        if folder.upper() == "INBOX":
            # IMAP forbids deleting INBOX, so reset it on disk: without its uidlist and index
            # Dovecot rebuilds INBOX with the next UIDVALIDITY from the mail root.
            self._reset_inbox_on_disk()
        else:
            with self.mailbox() as box:
                box.folder.delete(folder)
                box.folder.create(folder)
        with self.mailbox() as box:
            for message in kept:
                flags = [f for f in message.flags if f != "\\Recent"]
                box.append(message.raw, folder, dt=message.internaldate, flag_set=flags)

    def _reset_inbox_on_disk(self) -> None:
        assert self._runtime is not None
        maildir = self._runtime / "mail" / self.user / "Maildir"
        for sub in ("cur", "new", "tmp"):
            for path in (maildir / sub).glob("*"):
                path.unlink()
        for path in maildir.glob("dovecot*"):
            if path.name != "dovecot-uidvalidity" and not path.name.startswith("dovecot-uidvalidity."):
                path.unlink()

    def clear(self) -> None:
        """Empty INBOX and delete every other folder, so that a test starts from an empty mailbox."""
        with self.mailbox() as box:
            for info in sorted(box.folder.list(), key=lambda f: -len(f.name)):
                if info.name.upper() != "INBOX":
                    box.folder.delete(info.name)
            box.folder.set("INBOX")
            box.client.uid("STORE", "1:*", "+FLAGS.SILENT", "(\\Deleted)")
            box.client.expunge()


def _fetch_all(client: imaplib.IMAP4, folder: str) -> list[StoredMessage]:
    typ, _ = client.select(_quote(folder), readonly=True)
    if typ != "OK":
        raise RuntimeError(f"cannot select {folder!r}")
    typ, data = client.uid("FETCH", "1:*", "(UID FLAGS INTERNALDATE BODY.PEEK[])")
    if typ != "OK":
        raise RuntimeError(f"FETCH in {folder!r} failed: {data!r}")
    result = []
    for item in data:
        # Each message is (b'N (UID .. FLAGS (..) INTERNALDATE ".." BODY[] {size}', raw); the bare
        # b')' items between them close the FETCH response.
        if not isinstance(item, tuple):
            continue
        head, raw = item
        uid = _FETCH_UID.search(head)
        flags = _FETCH_FLAGS.search(head)
        date = _FETCH_DATE.search(head)
        if not (uid and flags and date):
            raise RuntimeError(f"unexpected FETCH response {head!r}")
        result.append(
            StoredMessage(
                uid=int(uid.group(1)),
                flags=tuple(flags.group(1).decode().split()),
                internaldate=datetime.strptime(date.group(1).decode().strip(), "%d-%b-%Y %H:%M:%S %z"),
                raw=raw,
            )
        )
    return sorted(result, key=lambda m: m.uid)


def _quote(folder: str) -> str:
    # Folder names travel in IMAP's modified UTF-7 ("Anmälningar" -> "Anm&AOQ-lningar").
    name = utf7_encode(folder).decode("ascii")
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _dovecot_version() -> str:
    try:
        out = subprocess.run(
            [find_binary("dovecot"), "--version"], capture_output=True, text=True, timeout=10
        )
        return out.stdout.split()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "unknown"


# --------------------------------------------------------------------------- SMTP (aiosmtpd)


@dataclass(frozen=True)
class RecordedMessage:
    """One message the SMTP server accepted."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes
    message: EmailMessage
    authenticated_as: str | None = None


@dataclass
class _Failure:
    stage: str
    reply: str
    remaining: int


@dataclass
class _Recorder:
    """The aiosmtpd handler: records accepted mail and plays the failures it was told to."""

    messages: list[RecordedMessage] = field(default_factory=list)
    failures: list[_Failure] = field(default_factory=list)
    condition: threading.Condition = field(default_factory=threading.Condition)
    delay: float = 0.0  # seconds before answering RCPT: a slow server

    def _take_failure(self, stage: str) -> str | None:
        with self.condition:
            for failure in self.failures:
                if failure.stage == stage and failure.remaining > 0:
                    failure.remaining -= 1
                    return failure.reply
        return None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        reply = self._take_failure("rcpt")
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        reply = self._take_failure("data")
        if reply is not None:
            return reply
        raw = envelope.original_content or envelope.content
        login = getattr(session.auth_data, "login", None)
        recorded = RecordedMessage(
            mail_from=envelope.mail_from,
            rcpt_tos=tuple(envelope.rcpt_tos),
            raw=raw,
            message=BytesParser(policy=policy.default).parsebytes(raw),  # type: ignore[arg-type]
            authenticated_as=login.decode() if login is not None else None,
        )
        with self.condition:
            self.messages.append(recorded)
            self.condition.notify_all()
        return "250 Message accepted for delivery"


_DEFAULT_REPLIES = {
    451: "451 4.3.0 Temporary failure (test server)",
    550: "550 5.7.1 Rejected (test server)",
}


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1:<free port> that records every message it accepts.

    With user and password it offers AUTH PLAIN/LOGIN without TLS; require_auth refuses mail
    from clients that did not authenticate.
    """

    host = "127.0.0.1"
    _controller_class: type[Controller] = Controller

    def __init__(self, user: str | None = None, password: str | None = None, require_auth: bool = False):
        self.user = user
        self.password = password
        self.require_auth = require_auth
        self.port = 0
        self._recorder = _Recorder()
        self._controller: Controller | None = None

    def _auth_options(self) -> dict[str, Any]:
        """aiosmtpd's AUTH options: PLAIN/LOGIN for user and password, none without."""
        if self.user is None:
            return {}
        return {
            "authenticator": self._authenticate,
            "auth_require_tls": False,
            "auth_required": self.require_auth,
        }

    def start(self) -> SmtpServer:
        kwargs = self._auth_options()
        for attempt in range(_START_ATTEMPTS):
            self.port = free_port()
            controller = self._controller_class(self._recorder, hostname=self.host, port=self.port, **kwargs)
            try:
                controller.start()
            except OSError:
                if attempt + 1 == _START_ATTEMPTS:
                    raise
                continue
            self._controller = controller
            return self
        raise AssertionError("unreachable")

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == self.user
            and auth_data.password.decode() == self.password
        )
        # handled=False makes aiosmtpd send the 535 itself; its default (True) sends nothing and hangs.
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    @property
    def messages(self) -> list[RecordedMessage]:
        """A snapshot of what was accepted so far, oldest first."""
        with self._recorder.condition:
            return list(self._recorder.messages)

    def clear(self) -> None:
        """Forget recorded messages and pending failures."""
        with self._recorder.condition:
            self._recorder.messages.clear()
            self._recorder.failures.clear()
            self._recorder.delay = 0.0

    def fail_next(
        self, count: int = 1, code: int = 451, stage: str = "rcpt", reply: str | None = None
    ) -> None:
        """Answer the next `count` RCPT (stage="rcpt") or DATA (stage="data") commands with `code`."""
        if stage not in ("rcpt", "data"):
            raise ValueError("stage must be 'rcpt' or 'data'")
        text = reply or _DEFAULT_REPLIES.get(code, f"{code} Failure (test server)")
        if not text.startswith(str(code)):
            text = f"{code} {text}"
        with self._recorder.condition:
            self._recorder.failures.append(_Failure(stage, text, count))

    def failures_left(self) -> int:
        """How many of the failures asked for with fail_next are still to come."""
        with self._recorder.condition:
            return sum(f.remaining for f in self._recorder.failures)

    def slow_down(self, seconds: float) -> None:
        """Answer every RCPT only after `seconds` (0: at once again); nothing is accepted meanwhile."""
        self._recorder.delay = seconds

    def wait_for(
        self,
        predicate: Callable[[RecordedMessage], bool] | None = None,
        timeout: float = 10.0,
        count: int = 1,
    ) -> list[RecordedMessage]:
        """Wait until at least `count` accepted messages match `predicate`; return all that match."""

        def matching() -> list[RecordedMessage]:
            return [m for m in self._recorder.messages if predicate is None or predicate(m)]

        with self._recorder.condition:
            if self._recorder.condition.wait_for(lambda: len(matching()) >= count, timeout):
                return matching()
            seen = [(m.mail_from, m.rcpt_tos, m.message["Subject"]) for m in self._recorder.messages]
        raise TimeoutError(f"fewer than {count} matching message(s) after {timeout}s; received: {seen!r}")


# --------------------------------------------------------------------------- Redis


class RedisServer:
    """A private redis-server on 127.0.0.1:<free port>, no persistence."""

    host = "127.0.0.1"

    def __init__(self, tmpdir: str | os.PathLike[str]):
        self.tmpdir = Path(tmpdir)
        self.port = 0
        self.log = self.tmpdir / "redis.log"
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    def start(self) -> RedisServer:
        binary = find_binary("redis-server")
        self.tmpdir.mkdir(parents=True, exist_ok=True)
        for attempt in range(_START_ATTEMPTS):
            self.port = free_port()
            self.log.unlink(missing_ok=True)
            self._proc = self._launch(binary)
            try:
                self._wait_for_ping(timeout=10)
                return self
            except RuntimeError:
                _stop_process(self._proc)
                if attempt + 1 < _START_ATTEMPTS and "Address already in use" in _tail(self.log):
                    continue
                raise
        raise AssertionError("unreachable")

    def _launch(self, binary: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [
                binary,
                "--port", str(self.port),
                "--bind", self.host,
                "--save", "",
                "--appendonly", "no",
                "--dir", str(self.tmpdir),
                "--logfile", str(self.log),
                "--daemonize", "no",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def restart(self, down_for: float = 0.0) -> None:
        """Stop, stay away `down_for` seconds, start again empty on the same port: a broker restart
        as its clients see it (no persistence, so every queued and unacknowledged task is gone)."""
        _stop_process(self._proc)
        time.sleep(down_for)
        self._proc = self._launch(find_binary("redis-server"))
        self._wait_for_ping(timeout=10)

    def _wait_for_ping(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                break
            try:
                with socket.create_connection((self.host, self.port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(64).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"redis-server did not answer PING on port {self.port}.\n{_tail(self.log)}")

    def stop(self) -> None:
        _stop_process(self._proc)
        self._proc = None

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


__all__ = [
    "DovecotServer",
    "MissingServerBinary",
    "RecordedMessage",
    "RedisServer",
    "SmtpServer",
    "StoredMessage",
    "find_binary",
    "free_port",
]
