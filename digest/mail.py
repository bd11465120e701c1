"""Build the digest email and hand it to an SMTP server (or write it to the outbox folder).

The message is multipart/alternative (plain text, then HTML), UTF-8, with an RFC 2047 subject and a Message-ID
derived from the digest id, so a retried digest carries the same Message-ID.  Every failure becomes a
:class:`MailError` with one Korean line naming the server; the password is never part of a message or a log.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from crawler.configuration import SmtpConfig
from crawler.errors import MailError
from digest.records import Digest
from digest.render import RenderedDigest

log = logging.getLogger(__name__)

MESSAGE_ID_DOMAIN = "chipwatch.local"


def message_id_for(digest_id: str) -> str:
    token = hashlib.sha256(digest_id.encode()).hexdigest()[:24]
    return f"<{digest_id}.{token}@{MESSAGE_ID_DOMAIN}>"


def build_message(digest: Digest, rendered: RenderedDigest, *, sender: str,
                  recipients: Sequence[str]) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = rendered.subject.replace("\r", " ").replace("\n", " ")
    username, _, domain = sender.partition("@")
    msg["From"] = Address(display_name="chipwatch", username=username, domain=domain)
    msg["To"] = ", ".join(recipients)
    msg["Date"] = format_datetime(digest.created_at)
    msg["Message-ID"] = message_id_for(digest.digest_id)
    msg["X-Chipwatch-Digest"] = digest.digest_id
    msg.set_content(rendered.text, charset="utf-8")
    msg.add_alternative(rendered.html, subtype="html", charset="utf-8")
    return msg


@dataclass(frozen=True, slots=True)
class SendResult:
    accepted: tuple[str, ...]
    refused: dict[str, str] = field(default_factory=dict)
    message_id: str = ""


def tls_context(smtp: SmtpConfig) -> ssl.SSLContext:
    """The system's trusted CAs, plus ``smtp.ca_file`` when set; certificates and host names are verified."""
    context = ssl.create_default_context()
    if smtp.ca_file:
        context.load_verify_locations(cafile=smtp.ca_file)
    return context


def send_message(msg: EmailMessage, smtp: SmtpConfig, recipients: Sequence[str], *,
                 context: ssl.SSLContext | None = None) -> SendResult:
    """Deliver ``msg``; raise MailError (one line) unless the server accepted it for at least one recipient."""
    where = f"{smtp.host}:{smtp.port}"
    context = context or tls_context(smtp)
    password = smtp.password() if smtp.username else None
    if smtp.username and not password:
        raise MailError(f"SMTP 비밀번호가 없습니다: 환경 변수 {smtp.password_env}를 설정하세요 ({where})")
    try:
        if smtp.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        with client:
            client.ehlo()
            if smtp.security == "starttls":
                if not client.has_extn("starttls"):
                    raise MailError(f"SMTP 서버가 STARTTLS를 지원하지 않습니다 ({where}); security 설정을 확인하세요")
                client.starttls(context=context)
                client.ehlo()
            if smtp.username:
                client.login(smtp.username, password or "")
            refused = client.send_message(msg, to_addrs=list(recipients))
    except MailError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(f"SMTP 로그인 실패 ({where}): 사용자 이름이나 비밀번호({smtp.password_env})를 확인하세요 "
                        f"[{exc.smtp_code}]") from None
    except smtplib.SMTPNotSupportedError:
        raise MailError(f"SMTP 서버가 이 연결에서 로그인(AUTH)을 지원하지 않습니다 ({where}); "
                        f"security = \"starttls\" 또는 \"ssl\"이 필요할 수 있습니다") from None
    except smtplib.SMTPRecipientsRefused as exc:
        detail = "; ".join(f"{r}: {code} {_text(m)}" for r, (code, m) in exc.recipients.items())
        raise MailError(f"SMTP 서버가 모든 받는 사람을 거부했습니다 ({where}): {detail}") from None
    except smtplib.SMTPResponseException as exc:
        raise MailError(f"SMTP 서버가 메일을 거부했습니다 ({where}): {exc.smtp_code} {_text(exc.smtp_error)}") from None
    except (socket.timeout, TimeoutError):
        raise MailError(f"SMTP 서버 응답 시간 초과 ({where}, {smtp.timeout:.0f}초)") from None
    except ConnectionRefusedError:
        raise MailError(f"SMTP 서버에 연결할 수 없습니다: 연결 거부 ({where})") from None
    except ssl.SSLError as exc:
        raise MailError(f"SMTP TLS 오류 ({where}): {exc.reason or exc}") from None
    except smtplib.SMTPServerDisconnected as exc:
        raise MailError(f"SMTP 서버가 연결을 끊었습니다 ({where}): {exc}") from None
    except (socket.gaierror, OSError) as exc:
        raise MailError(f"SMTP 서버에 연결할 수 없습니다 ({where}): {exc.strerror or exc}") from None
    except smtplib.SMTPException as exc:
        raise MailError(f"SMTP 오류 ({where}): {exc}") from None
    refused_map = {r: f"{code} {_text(m)}" for r, (code, m) in (refused or {}).items()}
    accepted = tuple(r for r in recipients if r not in refused_map)
    return SendResult(accepted=accepted, refused=refused_map, message_id=str(msg["Message-ID"]))


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return " ".join(str(value).split())[:200]


def write_outbox(msg: EmailMessage, rendered: RenderedDigest, outbox: Path, digest_id: str) -> Path:
    """Write ``<digest_id>.eml`` and ``<digest_id>.html``; returns the .eml path."""
    outbox.mkdir(parents=True, exist_ok=True)
    eml = outbox / f"{digest_id}.eml"
    eml.write_bytes(msg.as_bytes())
    (outbox / f"{digest_id}.html").write_text(rendered.html, encoding="utf-8")
    return eml.resolve()
