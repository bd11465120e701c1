"""Preview and send the pending digest; stories are marked only after the server (or the outbox) took it.

Sending holds an exclusive digest lock (waiting for it), so a manual ``digest send`` racing the daemon's send
produces one email: the second sender finds nothing pending.  A digest is recorded as ``sending`` before it is
handed to SMTP; if the process dies between the server's acceptance and the marking, the next send composes the
same stories, hence the same digest id and Message-ID (at most one more copy, which mail clients fold together).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from crawler.configuration import Config
from crawler.errors import ChipwatchError, MailError
from crawler.lock import exclusive
from crawler.store import Store, begin_digest, fail_digest, finish_digest
from digest.compose import compose
from digest.mail import build_message, send_message, write_outbox
from digest.render import render_digest

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SendOutcome:
    status: str           # sent | outbox | nothing
    digest_id: str | None
    stories: int
    message: str          # one line for the user


def preview(config: Config, output: Path | None, *, now: datetime) -> tuple[Path, int]:
    """Render the pending digest to an HTML file; nothing is sent or marked."""
    store = Store(config.storage.url)
    try:
        digest = compose(store, config, now=now)
    finally:
        store.close()
    rendered = render_digest(digest)
    path = output or (config.digest.outbox / f"preview-{digest.digest_id}.html")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered.html, encoding="utf-8")
    except OSError as exc:
        raise ChipwatchError(f"미리 보기 파일을 쓸 수 없습니다: {path}: {exc.strerror}") from None
    return path.resolve(), len(digest.stories)


def send_pending(config: Config, *, now: datetime) -> SendOutcome:
    """Send (or write to the outbox) the pending digest and mark its stories; raise MailError on failure."""
    def waiting(holder: str) -> None:
        log.warning("다른 다이제스트 발송이 진행 중입니다%s: 끝나면 이어서 확인합니다", f" ({holder})" if holder else "")

    with exclusive(config.storage.url, "digest", wait=True, on_wait=waiting):
        store = Store(config.storage.url)
        try:
            return _send_locked(store, config, now)
        finally:
            store.close()


def _send_locked(store: Store, config: Config, now: datetime) -> SendOutcome:
    from crawler.store import get_digest

    digest = compose(store, config, now=now)
    story_ids = [s.story_id for s in digest.stories]
    if not story_ids and not config.digest.send_empty:
        return SendOutcome("nothing", None, 0, "새 기사가 없어 다이제스트를 보내지 않았습니다 (digest.send_empty = false).")
    previous = get_digest(store, digest.digest_id)
    if previous is not None and previous.status in ("sent", "outbox") and not story_ids:
        return SendOutcome("nothing", digest.digest_id, 0, "오늘의 빈 다이제스트는 이미 보냈습니다.")
    rendered = render_digest(digest)
    use_smtp = config.smtp is not None and bool(config.digest.recipients)
    recipients = config.digest.recipients or ("outbox@localhost",)
    msg = build_message(digest, rendered, sender=config.digest.sender, recipients=recipients)
    message_id = str(msg["Message-ID"])
    begin_digest(store, digest.digest_id, now=now, story_count=len(story_ids), period_start=digest.period_start,
                 period_end=digest.period_end, recipients=tuple(recipients) if use_smtp else (),
                 message_id=message_id)
    if not use_smtp:
        try:
            path = write_outbox(msg, rendered, config.digest.outbox, digest.digest_id)
        except OSError as exc:
            fail_digest(store, digest.digest_id, str(exc))
            raise ChipwatchError(f"outbox 폴더에 쓸 수 없습니다: {config.digest.outbox}: {exc.strerror}") from None
        finish_digest(store, digest.digest_id, story_ids, now=now, status="outbox", location=str(path))
        why = "SMTP 설정이 없어" if config.smtp is None else "받는 사람(digest.recipients)이 없어"
        return SendOutcome("outbox", digest.digest_id, len(story_ids),
                           f"{why} 다이제스트(이야기 {len(story_ids)}건)를 outbox에 저장했습니다: {path}")
    try:
        result = send_message(msg, config.smtp, recipients)
    except MailError as exc:
        fail_digest(store, digest.digest_id, str(exc))
        raise
    finish_digest(store, digest.digest_id, story_ids, now=now, status="sent")
    line = (f"다이제스트(이야기 {len(story_ids)}건)를 {len(result.accepted)}명에게 보냈습니다 "
            f"(Message-ID {result.message_id}).")
    if result.refused:
        refused = ", ".join(f"{r}: {why}" for r, why in result.refused.items())
        log.warning("digest %s refused for some recipients: %s", digest.digest_id, refused)
        line += f" 거부된 받는 사람: {refused}"
    return SendOutcome("sent", digest.digest_id, len(story_ids), line)
