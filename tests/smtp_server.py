"""Real SMTP servers for tests: aiosmtpd on 127.0.0.1 (plain, STARTTLS, implicit TLS, AUTH), free ports."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import socket
import ssl
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port() -> int:
    # aiosmtpd 1.4.6 cannot take port 0 (its readiness check connects to the port given)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed(tmp: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp / "cert.pem", tmp / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@dataclass
class Capture:
    messages: list = field(default_factory=list)
    refuse_rcpt: set = field(default_factory=set)
    fail_data_times: int = 0          # answer DATA with 451 this many times, then accept

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_rcpt:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.fail_data_times > 0:
            self.fail_data_times -= 1
            return "451 4.3.0 Try again later"
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def parsed(self, i: int = -1):
        return email.message_from_bytes(self.messages[i][2], policy=email.policy.default)


def authenticator(user: bytes, password: bytes):
    def check(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=(auth_data.login, auth_data.password) == (user, password), handled=False)
    return check


class SmtpServer:
    """mode: plain | starttls | ssl.  With ``user``/``password`` AUTH is required (after TLS when TLS is on)."""

    def __init__(self, tmp: Path, mode: str = "plain", user: str | None = None, password: str | None = None):
        self.capture = Capture()
        self.port = free_port()
        self.cert = None
        kwargs: dict = {}
        if mode in ("starttls", "ssl"):
            self.cert, key = self_signed(tmp)
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(self.cert, key)
            if mode == "starttls":
                kwargs.update(tls_context=ctx, require_starttls=True)
            else:
                kwargs.update(ssl_context=ctx)
        if user:
            kwargs.update(authenticator=authenticator(user.encode(), (password or "").encode()),
                          auth_require_tls=mode != "plain", auth_required=True)
        self.controller = Controller(self.capture, hostname="127.0.0.1", port=self.port, **kwargs)

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert)) if self.cert else ssl.create_default_context()

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
