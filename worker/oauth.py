"""OAuth2 access tokens for IMAP and SMTP login: MSAL for Microsoft 365, a token URL for any other server.

Tokens are cached per process and renewed before they expire; `fresh()` is for the one retry after a
server refused a token that looked valid to us.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import requests

from worker.settings import Settings

TIMEOUT = 30  # seconds, as for every other IO call
RENEW_BEFORE = 300.0  # seconds left when a token is renewed (or half its lifetime, if that is shorter)
MICROSOFT_LOGIN = "https://login.microsoftonline.com"  # where MSAL checks other hosts' authority

# Which part of the setup a failure points at; `anmalan check` and docs/microsoft-365.md use the same words.
Step = Literal["tenant", "client", "secret", "consent", "scope", "token server"]


class TokenError(Exception):
    """No token: the message says in Swedish what to fix, `step` names the part of the setup."""

    def __init__(self, message: str, step: Step) -> None:
        super().__init__(message)
        self.step = step


class TokenSource(Protocol):
    def fetch(self) -> tuple[str, float]:
        """A token and its remaining lifetime in seconds."""

    def forget(self) -> None:
        """Drop whatever the source caches itself, so that the next fetch asks the server."""


@dataclass(frozen=True)
class _Cached:
    value: str
    renew_at: float


class Tokens:
    """A token source with a cache in front; safe to share between threads."""

    def __init__(self, source: TokenSource, clock: Callable[[], float] = time.monotonic) -> None:
        self.source = source
        self.clock = clock
        self._cached: _Cached | None = None
        self._lock = threading.Lock()

    def current(self) -> str:
        with self._lock:
            if self._cached is None or self.clock() >= self._cached.renew_at:
                self._cached = self._fetch()
            return self._cached.value

    def fresh(self) -> str:
        with self._lock:
            self.source.forget()
            self._cached = self._fetch()
            return self._cached.value

    def _fetch(self) -> _Cached:
        value, lifetime = self.source.fetch()
        return _Cached(value, self.clock() + lifetime - min(RENEW_BEFORE, lifetime / 2))


class TokenUrlSource:
    """Client credentials against a token URL (RFC 6749 4.4); a refresh token, when the server gives
    one, is used for the next token and dropped when the server no longer takes it."""

    def __init__(self, token_url: str, client_id: str, client_secret: str, scope: str) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.scope = scope
        self._refresh_token: str | None = None

    def fetch(self) -> tuple[str, float]:
        if self._refresh_token:
            try:
                return self._request({"grant_type": "refresh_token", "refresh_token": self._refresh_token})
            except TokenError:
                self._refresh_token = None  # expired or revoked: the client credentials still work
        form = {"grant_type": "client_credentials"}
        if self.scope:
            form["scope"] = self.scope
        return self._request(form)

    def forget(self) -> None:
        self._refresh_token = None

    def _request(self, form: dict[str, str]) -> tuple[str, float]:
        form = {**form, "client_id": self.client_id, "client_secret": self.client_secret}
        try:
            response = requests.post(self.token_url, data=form, timeout=TIMEOUT)
        except requests.RequestException as exc:
            raise TokenError(f"token-servern {self.token_url} svarar inte: {exc}", "token server") from None
        body = _json(response)
        if response.status_code != 200 or "access_token" not in body:
            raise _token_url_error(self.token_url, response.status_code, body)
        self._refresh_token = body.get("refresh_token") or self._refresh_token
        return str(body["access_token"]), float(body.get("expires_in", 3600))


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _token_url_error(url: str, status: int, body: dict[str, Any]) -> TokenError:
    error = str(body.get("error", ""))
    said = f"{status} {error} {body.get('error_description', '')}".strip()
    if error == "invalid_client" or status == 401:
        return TokenError(
            f"token-servern {url} känner inte igen appen ({said}): kontrollera ANMALAN_OAUTH_CLIENT_ID "
            "och ANMALAN_OAUTH_CLIENT_SECRET",
            "secret",
        )
    if error == "invalid_scope":
        return TokenError(f"token-servern {url} godtar inte ANMALAN_OAUTH_SCOPE ({said})", "scope")
    if error == "unauthorized_client":
        return TokenError(f"appen får inte hämta token från {url} ({said}): den saknar medgivande", "consent")
    return TokenError(f"token-servern {url} gav ingen token ({said})", "token server")


def missing_roles(token: str, needed: set[str]) -> set[str]:
    """The app roles (IMAP.AccessAsApp, SMTP.SendAsApp) an Entra ID token lacks: the admin consent that
    was not granted. A token that is not a JWT (another server's) is taken as it is."""
    import jwt

    try:
        claims = jwt.decode(token, options={"verify_signature": False})  # only read, never trusted
    except jwt.PyJWTError:
        return set()
    return needed - set(claims.get("roles", []))


class MicrosoftSource:
    """App-only tokens from Microsoft Entra ID through MSAL, which caches and renews them itself.

    `login` is Entra ID's login host (ANMALAN_OAUTH_AUTHORITY); `verify` a CA file for a test server.
    """

    def __init__(
        self,
        tenant: str,
        client_id: str,
        credential: str | dict[str, str],
        scope: str,
        *,
        login: str = MICROSOFT_LOGIN,
        verify: bool | str = True,
    ) -> None:
        self.tenant = tenant
        self.scope = scope
        self._args: dict[str, Any] = {
            "client_id": client_id,
            "client_credential": credential,
            "authority": f"{login.rstrip('/')}/{tenant}",
            "verify": verify,
            "timeout": TIMEOUT,
        }
        if login.rstrip("/") != MICROSOFT_LOGIN:
            # MSAL would ask Microsoft whether it knows the host; a national cloud's or test server's it may not.
            self._args["instance_discovery"] = False
        if isinstance(verify, str):
            # requests lets REQUESTS_CA_BUNDLE override a session's own CA file; this one must win.
            session = requests.Session()
            session.verify, session.trust_env = verify, False
            self._args["http_client"] = session
        self._app: Any = None

    def _application(self) -> Any:
        import msal  # only a Microsoft 365 setup pays for loading it

        if self._app is None:
            try:
                self._app = msal.ConfidentialClientApplication(**self._args)
            except ValueError as exc:  # MSAL's OIDC discovery: the tenant does not exist
                raise TokenError(_tenant_unknown(self.tenant, str(exc)), "tenant") from None
            except requests.RequestException as exc:
                raise TokenError(f"Microsofts inloggning svarar inte: {exc}", "token server") from None
        return self._app

    def fetch(self) -> tuple[str, float]:
        app = self._application()
        try:
            result = app.acquire_token_for_client(scopes=[self.scope])
        except requests.RequestException as exc:
            raise TokenError(f"Microsofts inloggning svarar inte: {exc}", "token server") from None
        if "access_token" not in result:
            raise microsoft_error(self.tenant, result)
        return str(result["access_token"]), float(result.get("expires_in", 3600))

    def forget(self) -> None:
        if self._app is None:
            return
        cache = self._app.token_cache
        for item in list(cache.search(cache.CredentialType.ACCESS_TOKEN)):
            cache.remove_at(item)


def _tenant_unknown(tenant: str, said: str) -> str:
    return (
        f"hyresgästen (tenant) {tenant!r} finns inte hos Microsoft: kontrollera ANMALAN_OAUTH_TENANT "
        f"(katalog-id eller domän, t.ex. dalarna.se) ({said.splitlines()[0][:200]})"
    )


# Entra ID's AADSTS codes that name a step an operator can fix; the rest are shown as they come.
_AADSTS: dict[str, tuple[Step, str]] = {
    "AADSTS90002": ("tenant", "hyresgästen (tenant) finns inte: kontrollera ANMALAN_OAUTH_TENANT"),
    "AADSTS900023": ("tenant", "ANMALAN_OAUTH_TENANT är inget katalog-id eller domännamn"),
    "AADSTS700016": (
        "client",
        "appen finns inte i den här hyresgästen: kontrollera ANMALAN_OAUTH_CLIENT_ID "
        "(Program-id under Appregistreringar)",
    ),
    "AADSTS7000215": ("secret", "klienthemligheten är fel: använd värdet (Value), inte hemlighetens id"),
    "AADSTS7000222": (
        "secret",
        "klienthemligheten har gått ut: skapa en ny under Certifikat och hemligheter",
    ),
    "AADSTS700027": (
        "secret",
        "certifikatet känns inte igen: ladda upp det under Certifikat och hemligheter",
    ),
    "AADSTS65001": ("consent", "appen saknar administratörens medgivande: Bevilja administratörsmedgivande"),
    "AADSTS650057": ("consent", "appen saknar API-behörigheten för Office 365 Exchange Online"),
    "AADSTS70011": ("scope", "ANMALAN_OAUTH_SCOPE ska vara https://outlook.office365.com/.default"),
    "AADSTS1002012": ("scope", "ANMALAN_OAUTH_SCOPE ska vara https://outlook.office365.com/.default"),
}


def microsoft_error(tenant: str, result: dict[str, Any]) -> TokenError:
    """MSAL's error answer as a TokenError naming the step (see docs/microsoft-365.md)."""
    description = str(result.get("error_description") or result.get("error") or "okänt fel")
    first = description.splitlines()[0][:200]
    for code, (step, advice) in _AADSTS.items():
        if description.startswith(code + ":") or f" {code}:" in description:
            return TokenError(f"Microsoft 365 ({tenant}): {advice} ({first})", step)
    return TokenError(f"Microsoft 365 ({tenant}) gav ingen token ({first})", "token server")


def microsoft_credential(settings: Settings) -> str | dict[str, str]:
    """A client secret, or a certificate file: PEM with the private key and certificate, or PFX."""
    if settings.oauth_client_secret:
        return settings.oauth_client_secret.get_secret_value()
    assert settings.oauth_cert_file is not None
    path = settings.oauth_cert_file
    if path.suffix.lower() in {".pfx", ".p12"}:
        return {"private_key_pfx_path": str(path)}
    return _pem_credential(path)


def _pem_credential(path: Path) -> dict[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    pem = path.read_text()
    try:
        certificate = x509.load_pem_x509_certificate(pem.encode())
    except ValueError:
        raise TokenError(f"{path} innehåller inget PEM-certifikat", "secret") from None
    return {
        "private_key": pem,
        "thumbprint": certificate.fingerprint(hashes.SHA1()).hex(),  # SHA-1: the key id Entra ID expects
        "public_certificate": pem,
    }


def source_for(settings: Settings) -> TokenSource:
    assert settings.oauth_client_id is not None
    if settings.oauth_tenant:
        return MicrosoftSource(
            settings.oauth_tenant,
            settings.oauth_client_id,
            microsoft_credential(settings),
            settings.oauth_scope_or_default,
            login=settings.oauth_authority or MICROSOFT_LOGIN,
        )
    assert settings.oauth_token_url is not None and settings.oauth_client_secret is not None
    return TokenUrlSource(
        settings.oauth_token_url,
        settings.oauth_client_id,
        settings.oauth_client_secret.get_secret_value(),
        settings.oauth_scope_or_default,
    )


_shared: dict[tuple[str | None, ...], Tokens] = {}
_shared_lock = threading.Lock()


def tokens_for(settings: Settings) -> Tokens:
    """One cache per process and app, shared by IMAP and SMTP: each delivery opens its own connection."""
    key = (
        settings.oauth_authority,
        settings.oauth_tenant,
        settings.oauth_token_url,
        settings.oauth_client_id,
        settings.oauth_scope,
    )
    with _shared_lock:
        if key not in _shared:
            _shared[key] = Tokens(source_for(settings))
        return _shared[key]
