"""Build the digest email and hand it to an SMTP server (or write it to the outbox folder).

The message is multipart/alternative (plain text first, then HTML), UTF-8, with an RFC 2047 subject (the
``email`` package encodes it) and a Message-ID derived from the digest id, so a retried digest carries the same
Message-ID and mail clients fold a rare second copy into the first.

Every delivery failure becomes a :class:`crawler.errors.MailError` whose text is one Korean line naming
``host:port`` and the reason (connection refused, timeout, TLS not offered or failed, login failed, every
recipient refused, message refused).  The password is read from the environment only when needed and never
appears in a message or a log line.  A server that accepts the message for some recipients and refuses others
is a success: :class:`SendResult` lists the refused ones.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import smtplib
import socket
import ssl
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from crawler.configuration import SmtpConfig
from crawler.errors import MailError
from digest.records import Digest
from digest.render import RenderedDigest, clean_web_text

log = logging.getLogger(__name__)

DISPLAY_NAME = "chipwatch"
FALLBACK_DOMAIN = "chipwatch.local"     # Message-ID domain when the sender address has no usable domain
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*$")
_ID_CHARS = re.compile(r"[^A-Za-z0-9._-]")


def message_id_for(digest_id: str, domain: str = FALLBACK_DOMAIN) -> str:
    """``<cw-….token@domain>``: the same digest id (and domain) always gives the same Message-ID."""
    token = hashlib.sha256(digest_id.encode("utf-8")).hexdigest()[:16]
    local = _ID_CHARS.sub("", digest_id)[:64].strip(".") or "digest"
    domain = domain if _DOMAIN.match(domain or "") else FALLBACK_DOMAIN
    return f"<{local}.{token}@{domain.lower()}>"


def _address(addr: str, what: str, display_name: str = "") -> Address:
    try:
        if any(ch in addr for ch in "\r\n<>,") or addr.count("@") != 1:
            raise ValueError(addr)
        return Address(display_name=display_name, addr_spec=addr.strip())
    except (ValueError, IndexError, TypeError):
        raise MailError(f"{what} 이메일 주소가 잘못되었습니다: {addr!r}") from None


def build_message(digest: Digest, rendered: RenderedDigest, *, sender: str,
                  recipients: Sequence[str]) -> EmailMessage:
    """The digest as one multipart/alternative message (text/plain, then text/html), ready to send or save."""
    from_addr = _address(sender, "보내는 사람(digest.sender)", DISPLAY_NAME)
    to_addrs = tuple(_address(r, "받는 사람(digest.recipients)") for r in recipients)
    msg = EmailMessage()
    msg["Subject"] = clean_web_text(rendered.subject) or "[chipwatch] 주간 다이제스트"
    msg["From"] = from_addr
    if to_addrs:
        msg["To"] = to_addrs
    msg["Date"] = format_datetime(digest.created_at.astimezone(ZoneInfo(digest.timezone)))
    msg["Message-ID"] = message_id_for(digest.digest_id, from_addr.domain)
    msg["Content-Language"] = "ko"
    msg["Auto-Submitted"] = "auto-generated"          # RFC 3834: no vacation auto-replies to a robot
    msg["X-Auto-Response-Suppress"] = "All"           # the same for Exchange/Outlook
    msg["X-Chipwatch-Digest"] = _ID_CHARS.sub("", digest.digest_id)[:64]
    msg.set_content(rendered.text, charset="utf-8")
    msg.add_alternative(rendered.html, subtype="html", charset="utf-8")
    return msg


@dataclass(frozen=True, slots=True)
class SendResult:
    accepted: tuple[str, ...]
    refused: dict[str, str] = field(default_factory=dict)   # recipient -> "550 5.1.1 …" (server's reply)
    message_id: str = ""


def tls_context(smtp: SmtpConfig) -> ssl.SSLContext:
    """The system's trusted CAs, plus ``smtp.ca_file`` when set; certificates and host names are verified."""
    context = ssl.create_default_context()
    if smtp.ca_file:
        context.load_verify_locations(cafile=smtp.ca_file)
    return context


def send_message(msg: EmailMessage, smtp: SmtpConfig, recipients: Sequence[str], *,
                 context: ssl.SSLContext | None = None) -> SendResult:
    """Deliver ``msg`` to ``recipients`` through ``smtp``.

    Returns once the server accepted the message for at least one recipient; raises MailError (one line, naming
    host:port, never the password) otherwise.  ``context`` overrides the TLS context (tests trust a test CA).
    """
    where = f"{smtp.host}:{smtp.port}"
    if not recipients:
        raise MailError(f"받는 사람이 없습니다 (digest.recipients가 비어 있음); {where}로 보내지 않았습니다")
    password = smtp.password() if smtp.username else None
    if smtp.username and not password:
        raise MailError(f"SMTP 비밀번호가 없습니다: 환경 변수 {smtp.password_env}를 설정하세요 ({where})")
    try:
        refused = _deliver(msg, smtp, list(recipients), password, context)
    except MailError as exc:
        raise MailError(_scrub(str(exc), password)) from None
    except Exception as exc:  # noqa: BLE001 - every failure becomes one line; the traceback may hold the password
        reason = _scrub(_reason(exc, smtp), password)
        log.debug("digest mail to %s failed: %s", where, reason)
        raise MailError(reason) from None
    refused_map = {r: _one_line(f"{code} {_text(m)}") for r, (code, m) in (refused or {}).items()}
    accepted = tuple(r for r in recipients if r not in refused_map)
    message_id = str(msg.get("Message-ID", ""))
    log.info("digest mail %s accepted by %s for %d recipient(s), refused for %d", message_id, where,
             len(accepted), len(refused_map))
    return SendResult(accepted=accepted, refused=refused_map, message_id=message_id)


def _deliver(msg: EmailMessage, smtp: SmtpConfig, recipients: list[str], password: str | None,
             context: ssl.SSLContext | None) -> dict:
    where = f"{smtp.host}:{smtp.port}"
    if smtp.security in ("ssl", "starttls"):
        context = context or tls_context(smtp)
    if smtp.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    try:
        client.ehlo()
        if smtp.security == "starttls":
            if not client.has_extn("starttls"):
                raise MailError(f"SMTP 서버가 STARTTLS를 제공하지 않습니다 ({where}): 암호화 없이 보내지 않았습니다; "
                                f"서버 주소와 smtp.security 설정을 확인하세요")
            client.starttls(context=context)
            client.ehlo()
        if smtp.username:
            client.login(smtp.username, password or "")
        refused = client.send_message(msg, to_addrs=recipients)
    except BaseException:
        client.close()
        raise
    # The server has accepted the message: a failing QUIT must not turn this into an error (and a resend).
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()
    return refused


def _reason(exc: Exception, smtp: SmtpConfig) -> str:
    """One Korean line for a delivery failure."""
    where = f"{smtp.host}:{smtp.port}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (f"SMTP 로그인 실패 ({where}): 사용자 이름(smtp.username)이나 비밀번호(환경 변수 {smtp.password_env})를 "
                f"확인하세요 [{exc.smtp_code}]")
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return (f"SMTP 서버가 이 연결에서 로그인(AUTH)을 제공하지 않습니다 ({where}); "
                f"smtp.security = \"starttls\" 또는 \"ssl\"이 필요할 수 있습니다")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        detail = "; ".join(f"{r}: {code} {_text(m)}" for r, (code, m) in exc.recipients.items())
        return _one_line(f"SMTP 서버가 모든 받는 사람을 거부했습니다 ({where}): {detail}")
    if isinstance(exc, smtplib.SMTPSenderRefused):
        if exc.smtp_code == 530 and smtp.security == "none":
            return (f"SMTP 서버가 암호화(STARTTLS)를 요구합니다 ({where}): smtp.security = \"starttls\"로 설정하세요 "
                    f"[{exc.smtp_code} {_text(exc.smtp_error)}]")
        return _one_line(f"SMTP 서버가 보내는 사람 주소({_text(exc.sender)})를 거부했습니다 ({where}): "
                         f"{exc.smtp_code} {_text(exc.smtp_error)}")
    if isinstance(exc, smtplib.SMTPResponseException):
        kind = "일시적 거부, 다음 발송 때 다시 시도합니다" if 400 <= exc.smtp_code < 500 else "거부"
        return _one_line(f"SMTP 서버가 메일을 받지 않았습니다 ({where}, {kind}): {exc.smtp_code} {_text(exc.smtp_error)}")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _one_line(f"SMTP 서버의 TLS 인증서를 확인할 수 없습니다 ({where}): {exc.verify_message or exc.reason}; "
                         f"사설 인증서라면 smtp.ca_file을 설정하세요")
    if isinstance(exc, ssl.SSLError):
        hint = " (465 포트는 security = \"ssl\", 587 포트는 \"starttls\"가 일반적입니다)" \
            if exc.reason in ("WRONG_VERSION_NUMBER", "UNEXPECTED_EOF_WHILE_READING", "RECORD_LAYER_FAILURE") else ""
        return _one_line(f"SMTP TLS 연결 실패 ({where}): {exc.reason or exc}{hint}")
    if isinstance(exc, (socket.timeout, TimeoutError)) or (
            isinstance(exc, smtplib.SMTPServerDisconnected) and isinstance(exc.__context__, TimeoutError)):
        return f"SMTP 서버 응답 시간 초과 ({where}, {smtp.timeout:g}초): 서버 주소·포트·방화벽을 확인하세요"
    if isinstance(exc, ConnectionRefusedError):
        return f"SMTP 서버에 연결할 수 없습니다: 연결 거부 ({where}); 서버 주소와 포트를 확인하세요"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return _one_line(f"SMTP 서버가 연결을 끊었습니다 ({where}): {exc}")
    if isinstance(exc, socket.gaierror):
        return f"SMTP 서버 이름을 찾을 수 없습니다 ({where}): {exc.strerror or exc}"
    if isinstance(exc, OSError):
        return _one_line(f"SMTP 서버에 연결할 수 없습니다 ({where}): {exc.strerror or exc}")
    if isinstance(exc, smtplib.SMTPException):
        return _one_line(f"SMTP 오류 ({where}): {exc}")
    return _one_line(f"SMTP 발송 중 예상하지 못한 오류 ({where}): {type(exc).__name__}: {exc}")


def _text(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return " ".join(str(value).split())[:200]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _scrub(text: str, password: str | None) -> str:
    """Never let the password through, even if a server echoes it back."""
    text = _one_line(text)
    return text.replace(password, "***") if password else text


# ---------------------------------------------------------------- outbox


def _safe_name(digest_id: str) -> str:
    name = _ID_CHARS.sub("_", digest_id).strip("._")
    return name[:100] or "digest"


def _write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, so a crash never leaves half a file behind."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_outbox(msg: EmailMessage, rendered: RenderedDigest, outbox: Path, digest_id: str) -> Path:
    """Write ``<digest_id>.eml`` (the whole message, openable in any mail client) and ``<digest_id>.html``.

    Returns the absolute .eml path.  Raises OSError when the folder cannot be created or written.
    """
    outbox.mkdir(parents=True, exist_ok=True)
    name = _safe_name(digest_id)
    eml = outbox / f"{name}.eml"
    _write_atomic(outbox / f"{name}.html", rendered.html.encode("utf-8"))
    _write_atomic(eml, msg.as_bytes())
    log.info("digest %s written to the outbox: %s", digest_id, eml)
    return eml.resolve()
