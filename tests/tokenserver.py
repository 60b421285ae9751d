"""A small OAuth2 token and introspection server for tests: real tokens over real HTTP(S) on loopback.

It issues tokens by client credentials (RFC 6749 4.4) and refresh tokens, answers Dovecot's
introspection (RFC 7662, `introspection_mode = post`), and serves the OpenID discovery document and
token endpoint MSAL asks for, over HTTPS with a self-signed certificate, so MSAL can be pointed at it.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import secrets
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

TENANT = "dalarna-test"  # the one tenant the Microsoft-shaped endpoints know


@dataclass
class Issued:
    token: str
    client_id: str
    expires_at: float
    revoked: bool = False


@dataclass
class TokenServer:
    """Knows one app (client_id, client_secret) allowed to use one mailbox (`user`)."""

    user: str
    client_id: str = "anmalan-app"
    client_secret: str = "app-secret"
    lifetime: float = 3600.0  # seconds, for tokens issued from now on
    give_refresh_tokens: bool = False
    host: str = "127.0.0.1"
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    issued: list[Issued] = field(default_factory=list)
    access_revoked: bool = False
    # The public certificate uploaded for the app (PEM), for client assertions instead of the secret.
    certificate: bytes | None = None
    # The app roles an Entra ID token carries once an admin granted consent.
    roles: tuple[str, ...] = ("IMAP.AccessAsApp", "SMTP.SendAsApp")
    _refresh: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _servers: list[ThreadingHTTPServer] = field(default_factory=list)
    port: int = 0
    https_port: int = 0
    ca_file: Path | None = None

    # -- what tests set up and look at

    @property
    def token_url(self) -> str:
        return f"http://{self.host}:{self.port}/token"

    @property
    def introspection_url(self) -> str:
        return f"http://{self.host}:{self.port}/introspect"

    @property
    def login_host(self) -> str:
        """Where MSAL is pointed instead of https://login.microsoftonline.com."""
        return f"https://{self.host}:{self.https_port}"

    @property
    def authority(self) -> str:
        return f"{self.login_host}/{TENANT}"

    def is_current(self, token: str, user: str) -> bool:
        """What Dovecot's introspection and the SMTP server ask: may this token open this mailbox now?"""
        with self._lock:
            found = next((i for i in self.issued if i.token == token), None)
            return (
                found is not None
                and not found.revoked
                and not self.access_revoked
                and time.time() < found.expires_at
                and user == self.user
            )

    def expire_all(self) -> None:
        """Every token issued so far stops working now, as when a server's clock runs ahead of ours."""
        with self._lock:
            for issued in self.issued:
                issued.revoked = True

    def revoke_access(self) -> None:
        """The admin takes the app's access to the mailbox away: tokens are issued but open nothing."""
        with self._lock:
            self.access_revoked = True

    def reset(self) -> None:
        """Forget tokens, requests and revocations: each test starts with a server that knows nothing."""
        with self._lock:
            self.issued.clear()
            self.requests.clear()
            self._refresh.clear()
            self.access_revoked = False
            self.lifetime = 3600.0
            self.give_refresh_tokens = False
            self.roles = ("IMAP.AccessAsApp", "SMTP.SendAsApp")
            self.certificate = None

    def token_requests(self) -> list[dict[str, str]]:
        return [form for path, form in self.requests if path.endswith("token")]

    # -- protocol

    def _issue(self, form: dict[str, str], microsoft: bool = False) -> tuple[int, dict[str, object]]:
        if "client_assertion" in form:
            if not self._assertion_holds(form["client_assertion"]):
                return 401, {
                    "error": "invalid_client",
                    "error_description": "AADSTS700027: Client assertion contains an invalid signature. (test server)",
                }
        elif form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return 401, {
                "error": "invalid_client",
                "error_description": "AADSTS7000215: Invalid client secret provided. (test server)",
            }
        grant = form.get("grant_type")
        with self._lock:
            if grant == "refresh_token":
                if self._refresh.pop(form.get("refresh_token", ""), None) is None:
                    return 400, {"error": "invalid_grant", "error_description": "unknown refresh token"}
            elif grant != "client_credentials":
                return 400, {"error": "unsupported_grant_type"}
            expires_at = time.time() + self.lifetime
            # Entra ID's tokens are JWTs whose `roles` say what the admin consented to; others opaque.
            value = _entra_token(self, expires_at) if microsoft else secrets.token_urlsafe(24)
            issued = Issued(value, self.client_id, expires_at)
            self.issued.append(issued)
            body: dict[str, object] = {
                "access_token": issued.token,
                "token_type": "Bearer",
                "expires_in": int(self.lifetime),
            }
            if self.give_refresh_tokens:
                refresh = secrets.token_urlsafe(24)
                self._refresh[refresh] = issued.token
                body["refresh_token"] = refresh
        return 200, body

    def _assertion_holds(self, assertion: str) -> bool:
        """RFC 7523: a JWT about the app, for this token endpoint, signed with the uploaded certificate's key."""
        if self.certificate is None:
            return False
        key = x509.load_pem_x509_certificate(self.certificate).public_key()
        try:
            claims = jwt.decode(
                assertion,
                key,  # type: ignore[arg-type]
                algorithms=["RS256", "PS256"],
                audience=f"{self.authority}/oauth2/v2.0/token",
            )
        except jwt.PyJWTError:
            return False
        return claims.get("iss") == claims.get("sub") == self.client_id

    def _introspect(self, form: dict[str, str]) -> dict[str, object]:
        token = form.get("token", "")
        if not self.is_current(token, self.user):
            return {"active": False}
        return {"active": True, "username": self.user, "client_id": self.client_id}

    def _discovery(self) -> dict[str, object]:
        base = self.authority
        return {
            "issuer": f"{base}/v2.0",
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base}/oauth2/v2.0/token",
        }

    # -- lifecycle

    def start(self, tmpdir: Path) -> TokenServer:
        self.port = self._serve(None)
        self.ca_file, context = _self_signed(tmpdir, self.host)
        self.https_port = self._serve(context)
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers.clear()

    def _serve(self, context: ssl.SSLContext | None) -> int:
        server = ThreadingHTTPServer((self.host, 0), _handler(self))
        if context is not None:
            server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self._servers.append(server)
        return server.server_address[1]


def _handler(tokens: TokenServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet, as the other test servers
            pass

        def _answer(self, status: int, body: dict[str, object]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path.startswith(f"/{TENANT}/v2.0/.well-known/openid-configuration"):
                self._answer(200, tokens._discovery())
            elif self.path.endswith("/.well-known/openid-configuration"):
                # Entra ID's answer for a tenant that does not exist.
                self._answer(
                    400,
                    {
                        "error": "invalid_tenant",
                        "error_description": "AADSTS90002: Tenant not found. (test server)",
                    },
                )
            else:
                self._answer(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            tokens.requests.append((self.path, form))
            if self.path == "/token":
                self._answer(*tokens._issue(form))
            elif self.path == f"/{TENANT}/oauth2/v2.0/token":
                self._answer(*tokens._issue(form, microsoft=True))
            elif self.path == "/introspect":
                self._answer(200, tokens._introspect(form))
            else:
                self._answer(404, {"error": "not_found"})

    return Handler


def _entra_token(tokens: TokenServer, expires_at: float) -> str:
    claims = {
        "aud": "https://outlook.office365.com",
        "iss": f"https://sts.windows.net/{TENANT}/",
        "appid": tokens.client_id,
        "roles": list(tokens.roles),
        "exp": int(expires_at),
        "jti": secrets.token_urlsafe(8),
    }
    return jwt.encode(claims, _SIGNING_KEY, algorithm="HS256")


_SIGNING_KEY = secrets.token_bytes(32)  # nobody checks the signature but the token server itself


def self_signed(key: Any, common_name: str, *extensions: x509.ExtensionType) -> tuple[bytes, bytes]:
    """A certificate for `key`, valid for a day, and the key: both PEM."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
    )
    for extension in extensions:
        builder = builder.add_extension(extension, critical=isinstance(extension, x509.BasicConstraints))
    certificate = builder.sign(key, hashes.SHA256())
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return certificate.public_bytes(serialization.Encoding.PEM), private


def _self_signed(tmpdir: Path, host: str) -> tuple[Path, ssl.SSLContext]:
    certificate, key = self_signed(
        ec.generate_private_key(ec.SECP256R1()),
        host,
        x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]),
        x509.BasicConstraints(ca=True, path_length=None),
    )
    tmpdir.mkdir(parents=True, exist_ok=True)
    cert_file, key_file = tmpdir / "token-server.crt", tmpdir / "token-server.key"
    cert_file.write_bytes(certificate)
    key_file.write_bytes(key)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return cert_file, context
