"""Settings from the environment (prefix ANMALAN_), with an embedded default that needs no server."""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import AwareDatetime, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(Exception):
    """A setting is wrong; the message names it and never shows a password."""


Auth = Literal["password", "oauth2"]

# The token scope Exchange Online asks for in app-only (client-credentials) IMAP and SMTP access.
MICROSOFT_SCOPE = "https://outlook.office365.com/.default"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ANMALAN_", extra="ignore", env_file=None)

    imap_host: str | None = None
    imap_port: int | None = Field(default=None, ge=1, le=65535)
    imap_user: str | None = None
    imap_password: SecretStr | None = None
    imap_folder: str = "INBOX"
    imap_ssl: bool = True
    imap_starttls: bool = False
    imap_auth: Auth = "password"

    smtp_host: str | None = None
    smtp_port: int | None = Field(default=None, ge=1, le=65535)
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_ssl: bool = False
    smtp_starttls: bool = True  # ignored when smtp_ssl is set
    smtp_auth: Auth = "password"

    # OAuth2 (client credentials): Microsoft 365 by tenant, any other server by its token URL.
    oauth_tenant: str | None = None
    oauth_token_url: str | None = None
    oauth_client_id: str | None = None
    oauth_client_secret: SecretStr | None = None
    oauth_cert_file: Path | None = None
    oauth_scope: str | None = None
    # Entra ID's login host; another one only for a national cloud (or a test server).
    oauth_authority: str | None = None

    # envelope sender mailbox+b-<id>@domain, so a bounce names the mail it returns even when it quotes
    # nothing of it; needs a mail server with plus addressing (Exchange Online and Gmail have it)
    verp: bool = False

    database_url: SecretStr | None = None  # may carry a password
    broker_url: SecretStr | None = None
    event: Path | None = None  # one event file: then the service runs just that event
    events_dir: Path = Path("config/events")  # every *.yaml in it is an event, unless ANMALAN_EVENT is set
    templates_dir: Path | None = None  # the organiser's own mail texts, searched before the built-in ones
    data_dir: Path = Path("var")
    now: AwareDatetime | None = None
    secret_key: SecretStr | None = None  # signs digest tokens; kept in the data dir when unset
    # The authserv-id(s) our receiving server writes in Authentication-Results (comma-separated); for
    # Exchange Online, the host name its Received headers end in. Unset: no From counts as verified.
    authserv_id: str = ""
    log_level: str = "INFO"
    # A message larger than this is stored as its headers and text only (issue 8, item 11).
    max_message_bytes: int = Field(default=25_000_000, ge=100_000)
    # Limits on what one sender can make the service do (issue 8); unset: rules.event.Limits' defaults.
    max_people_per_message: int | None = Field(default=None, ge=1)
    max_new_addresses_per_sender: int | None = Field(default=None, ge=0)  # per sender per day
    max_answers_per_thread: int | None = Field(default=None, ge=1)
    max_answers_per_hour: int | None = Field(default=None, ge=1)

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("use DEBUG, INFO, WARNING or ERROR")
        return value

    # -- derived -------------------------------------------------------------------------------------

    @property
    def uses_imap(self) -> bool:
        return bool(self.imap_host)

    @property
    def uses_smtp(self) -> bool:
        return bool(self.smtp_host)

    @property
    def imap_port_or_default(self) -> int:
        return self.imap_port or (993 if self.imap_ssl else 143)

    @property
    def smtp_port_or_default(self) -> int:
        return self.smtp_port or (465 if self.smtp_ssl else 587)

    @property
    def uses_oauth(self) -> bool:
        return (self.uses_imap and self.imap_auth == "oauth2") or (
            self.uses_smtp and self.smtp_auth == "oauth2"
        )

    @property
    def oauth_scope_or_default(self) -> str:
        """Microsoft 365 has one scope for IMAP and SMTP; another server must be told its own."""
        return self.oauth_scope or (MICROSOFT_SCOPE if self.oauth_tenant else "")

    def authserv_ids(self) -> list[str]:
        return [part.strip() for part in self.authserv_id.split(",") if part.strip()]

    def database(self) -> str:
        if self.database_url:
            return self.database_url.get_secret_value()
        return f"sqlite:///{(self.data_dir / 'anmalan.sqlite3').resolve()}"

    def broker(self) -> str:
        if self.broker_url:
            return self.broker_url.get_secret_value()
        return f"sqla+sqlite:///{(self.data_dir / 'broker.sqlite3').resolve()}"

    @property
    def maildir(self) -> Path:
        """The embedded mailbox: INBOX is the Maildir itself, another folder its Maildir++ subfolder."""
        inbox = self.data_dir / "mailbox"
        return inbox if self.imap_folder.upper() == "INBOX" else inbox / f".{self.imap_folder}"

    @property
    def outgoing_dir(self) -> Path:
        return self.data_dir / "outgoing"

    def secret(self) -> str:
        if self.secret_key:
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(32))
            path.chmod(0o600)
        return path.read_text().strip()

    def mailbox_name(self) -> str:
        """How the inbox table names where a message came from (no password, ever)."""
        if self.uses_imap:
            return f"imap://{self.imap_user or ''}@{self.imap_host}:{self.imap_port_or_default}/{self.imap_folder}"
        return f"maildir:{self.maildir.resolve()}"

    def check(self) -> None:
        if self.uses_imap and self.imap_auth == "oauth2":
            if not self.imap_user:
                raise SettingsError("ANMALAN_IMAP_AUTH=oauth2 needs ANMALAN_IMAP_USER (the mailbox address)")
        elif self.uses_imap and not (self.imap_user and self.imap_password):
            raise SettingsError(
                "ANMALAN_IMAP_HOST is set, but ANMALAN_IMAP_USER or ANMALAN_IMAP_PASSWORD is missing"
            )
        if self.imap_ssl and self.imap_starttls:
            raise SettingsError("choose one of ANMALAN_IMAP_SSL and ANMALAN_IMAP_STARTTLS, not both")
        if self.uses_smtp and self.smtp_auth == "oauth2":
            if not self.smtp_user:
                raise SettingsError("ANMALAN_SMTP_AUTH=oauth2 needs ANMALAN_SMTP_USER (the sending address)")
        elif bool(self.smtp_user) != bool(self.smtp_password):
            raise SettingsError("ANMALAN_SMTP_USER and ANMALAN_SMTP_PASSWORD go together")
        if self.templates_dir is not None and not self.templates_dir.is_dir():
            raise SettingsError(f"ANMALAN_TEMPLATES_DIR: no such folder: {self.templates_dir}")
        if self.uses_oauth:
            self._check_oauth()

    def _check_oauth(self) -> None:
        if bool(self.oauth_tenant) == bool(self.oauth_token_url):
            raise SettingsError(
                "OAuth2 needs exactly one of ANMALAN_OAUTH_TENANT (Microsoft 365) and ANMALAN_OAUTH_TOKEN_URL"
            )
        if not self.oauth_client_id:
            raise SettingsError("OAuth2 needs ANMALAN_OAUTH_CLIENT_ID")
        if bool(self.oauth_client_secret) == bool(self.oauth_cert_file):
            raise SettingsError("OAuth2 needs one of ANMALAN_OAUTH_CLIENT_SECRET and ANMALAN_OAUTH_CERT_FILE")
        if self.oauth_cert_file and not self.oauth_tenant:
            raise SettingsError(
                "ANMALAN_OAUTH_CERT_FILE works with ANMALAN_OAUTH_TENANT (Microsoft 365) only"
            )
        if self.oauth_cert_file and not self.oauth_cert_file.is_file():
            raise SettingsError(f"ANMALAN_OAUTH_CERT_FILE: no file {self.oauth_cert_file}")


def load_settings() -> Settings:
    """Read the environment; a bad value becomes a SettingsError naming the variable."""
    try:
        settings = Settings()
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = "ANMALAN_" + str(err["loc"][0]).upper() if err["loc"] else "ANMALAN_?"
            problems.append(f"{name}: {err['msg']}")
        raise SettingsError("; ".join(problems)) from None
    settings.check()
    return settings


def describe(settings: Settings) -> dict[str, str]:
    """The settings as an operator may see them: passwords and URLs with credentials masked."""
    out: dict[str, str] = {}
    for name, value in settings:
        if value is None:
            continue
        if isinstance(value, SecretStr):
            value = "********"
        out[f"ANMALAN_{name.upper()}"] = value.isoformat() if isinstance(value, datetime) else str(value)
    return out
