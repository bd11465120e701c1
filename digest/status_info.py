"""The digest half of ``chipwatch status``: pending stories, the last digest, the next scheduled runs."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from crawler.configuration import Config
from crawler.store import Store, from_db_time, last_digest


def _show(value: datetime | None, tz: str) -> str:
    return value.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M %Z") if value else "-"


def digest_status_lines(config: Config, store: Store, *, now: datetime | None = None) -> list[str]:
    from digest.compose import compose
    from digest.daemon import next_runs

    tz = config.digest.timezone
    now = now or datetime.now(timezone.utc)
    lines = []
    pending = compose(store, config, now=now)
    lines.append(f"발송 대기 중인 이야기: {len(pending.stories)}건 (기사 {pending.counts.articles}건, "
                 f"언론사 {pending.counts.outlets}곳)")
    last = last_digest(store)
    if last is None:
        lines.append("마지막 다이제스트: 아직 없음")
    else:
        where = f" → {last.location}" if last.location else f" → {last.recipients}"
        kind = "발송" if last.status == "sent" else "outbox 저장"
        lines.append(f"마지막 다이제스트: {_show(from_db_time(last.sent_at), tz)} {kind}, 이야기 {last.stories}건{where}")
    failed = last_digest(store, ("failed", "sending"))
    if failed is not None and (last is None or failed.created_at > last.created_at):
        state = "실패" if failed.status == "failed" else "발송 중 중단"
        lines.append(f"최근 발송 {state}: {_show(from_db_time(failed.created_at), tz)} — {failed.error or '-'} "
                     f"(다음 발송 때 다시 보냅니다)")
    runs = next_runs(config)
    labels = {"crawl": "수집", "weekly_digest": "다이제스트"}
    if runs:
        for job_id, when in runs:
            lines.append(f"다음 {labels.get(job_id, job_id)} 실행: {_show(when, tz)}")
    else:
        lines.append("다음 실행: 예약 없음 (데몬 `chipwatch run`이 아직 시작되지 않음)")
    return lines
