"""Real SMTP servers for tests: aiosmtpd on 127.0.0.1 (plain, STARTTLS, implicit TLS, AUTH) on free ports.

    with SmtpServer(tmp_path, "starttls", user="bot", password="s3cret") as server:
        smtp = SmtpConfig(host="127.0.0.1", port=server.port, security="starttls", username="bot", ...)
        send_message(msg, smtp, rcpts, context=server.client_context())   # or ca_file=str(server.cert)
        server.capture.messages  -> [(mail_from, rcpt_tos, raw_bytes)];  server.capture.parsed() -> EmailMessage

aiosmtpd 1.4.6 cannot listen on port 0 (its readiness check connects to the port it was given), so a free port
is found first by binding a socket to port 0.  The self-signed certificate (SAN IP:127.0.0.1, valid for two
days) is made at test time with ``cryptography``, or with the ``openssl`` command when that is missing.
:func:`silent_server` accepts connections and never answers, for timeout tests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.message
import email.policy
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port nothing listens on right now (bind to port 0, read it, close)."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate and key for 127.0.0.1 in ``folder``: (cert.pem, key.pem)."""
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        return _self_signed_openssl(cert_path, key_path)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def _self_signed_openssl(cert_path: Path, key_path: Path) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("neither the cryptography package nor the openssl command is available")
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "2", "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=IP:{HOST}",
                    "-keyout", str(key_path), "-out", str(cert_path)], check=True, capture_output=True)
    return cert_path, key_path


@dataclass
class Capture:
    """aiosmtpd handler that keeps every accepted message and can refuse recipients or fail DATA."""

    messages: list = field(default_factory=list)      # (mail_from, rcpt_tos, raw bytes)
    refuse_rcpt: set = field(default_factory=set)      # these recipients get 550
    fail_data_times: int = 0                           # answer DATA with 451 this many times, then accept
    logins: list = field(default_factory=list)         # logins that succeeded
    data_delay: float = 0.0                            # seconds to wait before answering DATA (a slow server)
    data_started: int = 0                              # DATA commands received so far
    hold_data: object = None                           # a threading.Event: DATA is answered only once it is set

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_rcpt:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        self.data_started += 1
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        for _ in range(1200):                          # a test that forgets to release it fails after 60 s
            if self.hold_data is None or self.hold_data.is_set():
                break
            await asyncio.sleep(0.05)
        if self.fail_data_times > 0:
            self.fail_data_times -= 1
            return "451 4.3.0 Try again later"
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def parsed(self, i: int = -1) -> email.message.EmailMessage:
        return email.message_from_bytes(self.messages[i][2], policy=email.policy.default)


def authenticator(user: bytes, password: bytes, logins: list | None = None):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login, auth_data.password) == (user, password)
        if ok and logins is not None:
            logins.append(auth_data.login.decode())
        return AuthResult(success=ok, handled=False)
    return check


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 for the length of a ``with`` block.

    mode: ``plain`` (no TLS offered), ``starttls`` (STARTTLS offered and required before MAIL), ``ssl`` (implicit
    TLS).  With ``user``/``password``, AUTH is required (and only offered after TLS when TLS is on).
    """

    def __init__(self, tmp: Path, mode: str = "plain", user: str | None = None, password: str | None = None):
        if mode not in ("plain", "starttls", "ssl"):
            raise ValueError(mode)
        self.mode = mode
        self.capture = Capture()
        self.port = free_port()
        self.cert: Path | None = None
        kwargs: dict = {}
        if mode in ("starttls", "ssl"):
            self.cert, key = self_signed(Path(tmp))
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(self.cert, key)
            if mode == "starttls":
                kwargs.update(tls_context=ctx, require_starttls=True)
            else:
                kwargs.update(ssl_context=ctx)
        if user:
            kwargs.update(authenticator=authenticator(user.encode(), (password or "").encode(), self.capture.logins),
                          auth_require_tls=mode != "plain", auth_required=True)
        self.controller = Controller(self.capture, hostname=HOST, port=self.port, **kwargs)

    def client_context(self) -> ssl.SSLContext:
        """A client TLS context that trusts this server's certificate (and verifies it)."""
        return ssl.create_default_context(cafile=str(self.cert)) if self.cert else ssl.create_default_context()

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never says a word (an SMTP client then times out)."""
    listener = socket.socket()
    listener.bind((HOST, 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
                held.append(conn)
            except (TimeoutError, OSError):
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(2)
        for conn in held:
            conn.close()
        listener.close()
