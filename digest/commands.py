"""What each ``chipwatch`` command does, given a validated config.  Output goes to stdout; errors are raised as
:class:`crawler.errors.ChipwatchError` and printed by :mod:`digest.cli`."""

from __future__ import annotations

import json
import logging
import sys
from contextlib import nullcontext
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from crawler.configuration import Config
from crawler.errors import ChipwatchError

log = logging.getLogger(__name__)

SEOUL = ZoneInfo("Asia/Seoul")


def _console():
    from rich.console import Console

    return Console(soft_wrap=False)


def show_time(value: datetime | None, tz: str = "Asia/Seoul") -> str:
    if value is None:
        return "-"
    return value.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M %Z")


# ---------------------------------------------------------------- crawl

def crawl(config: Config, sources: list[str] | None, *, progress: bool | None = None, verbose: int = 0) -> int:
    from crawler.run import run_crawl
    from crawler.summary import plain_table, rich_table

    result = run_crawl(config, source_names=sources, progress=progress,
                       log_level="INFO" if verbose > 1 else "WARNING")
    title = (f"수집 #{result.crawl_id} 완료 ({show_time(result.started_at)} 시작, "
             f"{(result.finished_at - result.started_at).total_seconds():.0f}초)")
    if result.status != "done":
        title += " — 중간에 멈춤"
    if sys.stdout.isatty():
        _console().print(rich_table(result.counts, title=title))
    else:
        print(title)
        print(plain_table(result.counts))
    if result.failed_sources and len(result.failed_sources) == len(result.counts):
        print(f"모든 출처({len(result.counts)}곳)에 접속하지 못했습니다: 네트워크 연결을 확인하세요. "
              f"네트워크 없이 전 과정을 보려면: chipwatch demo", file=sys.stderr)
    elif result.failed_sources:
        print(f"실패한 출처 {len(result.failed_sources)}곳: {', '.join(result.failed_sources)} "
              f"(다른 출처는 정상 수집)", file=sys.stderr)
    if not config.sources:
        print("설정에 출처([[sources]])가 없습니다.", file=sys.stderr)
    return 0 if result.status == "done" else 130


# ---------------------------------------------------------------- export

def export(config: Config, fmt: str, output: Path | None) -> int:
    from crawler.export import export_rows, write_csv, write_jsonl
    from crawler.store import Store

    store = Store(config.storage.url)
    try:
        if output is not None:
            try:
                target = output.open("w", encoding="utf-8", newline="")
            except OSError as exc:
                raise ChipwatchError(f"내보낼 파일을 쓸 수 없습니다: {output}: {exc.strerror}") from None
        else:
            target = nullcontext(sys.stdout)
        with target as out:
            n = (write_jsonl if fmt == "jsonl" else write_csv)(export_rows(store), out)
    finally:
        store.close()
    if output is not None:
        print(f"기사 {n}건을 {output}에 내보냈습니다 ({fmt}).", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- extract

def extract(files: list[str], url: str | None) -> int:
    from crawler.decode import read_saved_page
    from crawler.extract import ExtractError, extract as extract_page
    from crawler.language import detect_language

    failures = 0
    for name in files:
        path = Path(name)
        record: dict = {"file": name}
        try:
            html = read_saved_page(path)
            ex = extract_page(html, url)
        except FileNotFoundError:
            print(f"chipwatch: 오류: 파일이 없습니다: {name}", file=sys.stderr)
            failures += 1
            continue
        except (OSError, ValueError) as exc:
            print(f"chipwatch: 오류: 파일을 읽을 수 없습니다: {name}: {exc}", file=sys.stderr)
            failures += 1
            continue
        except ExtractError as exc:
            print(f"chipwatch: 오류: 본문을 추출하지 못했습니다: {name}: {exc}", file=sys.stderr)
            failures += 1
            continue
        record.update(title=ex.title, published=ex.published.isoformat() if ex.published else None,
                      author=ex.author, language=detect_language(f"{ex.title or ''}\n{ex.text}"), text=ex.text)
        print(json.dumps(record, ensure_ascii=False), flush=True)
    return 1 if failures else 0


# ---------------------------------------------------------------- status

def status(config: Config) -> int:
    from crawler.store import Store, from_db_time
    from crawler.summary import plain_table, rich_table

    store = Store(config.storage.url)
    tz = config.digest.timezone
    lines: list[str] = [f"설정: {config.label}", f"데이터베이스: {_display_url(config.storage.url)}",
                        f"저장된 기사: {store.article_count()}건"]
    crawls = store.last_crawls(1)
    counts = []
    if not crawls:
        lines.append("마지막 수집: 아직 없음 (chipwatch crawl)")
    else:
        c = crawls[0]
        state = {"done": "완료", "running": "진행 중 또는 비정상 종료", "interrupted": "중간에 멈춤"}.get(c.status, c.status)
        lines.append(f"마지막 수집: #{c.id} {show_time(from_db_time(c.started_at), tz)} 시작, "
                     f"{show_time(from_db_time(c.finished_at), tz) if c.finished_at else '-'} 종료 ({state})")
        counts = store.crawl_source_rows(c.id)
    last_ok = store.source_last_success()
    health = []
    for s in config.sources:
        ok = last_ok.get(s.name)
        health.append(f"  {s.name}: 마지막 성공 {show_time(ok, tz) if ok else '없음'}"
                      f"{'' if s.enabled else ' (사용 안 함)'}")
    from digest.status_info import digest_status_lines

    digest_lines = digest_status_lines(config, store)
    store.close()
    print("\n".join(lines))
    if counts:
        if sys.stdout.isatty():
            _console().print(rich_table(counts, title="마지막 수집의 출처별 결과"))
        else:
            print(plain_table(counts))
    print("출처별 상태:")
    print("\n".join(health) if health else "  (출처 없음)")
    print("\n".join(digest_lines))
    return 0


def _display_url(url: str) -> str:
    import sqlalchemy as sa

    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        return "(표시할 수 없는 URL)"


# ---------------------------------------------------------------- digest, daemon, demo

def digest_preview(config: Config, output: Path | None) -> int:
    from digest.deliver import preview

    path, n = preview(config, output, now=datetime.now(timezone.utc))
    print(f"다이제스트 미리 보기 (이야기 {n}건): {path}")
    return 0


def digest_send(config: Config) -> int:
    from digest.deliver import send_pending

    outcome = send_pending(config, now=datetime.now(timezone.utc))
    print(outcome.message)
    return 0


def run_daemon(config: Config) -> int:
    from digest.daemon import run_forever

    return run_forever(config)


def demo(keep: str | None) -> int:
    from digest.demo import run_demo

    return run_demo(Path(keep) if keep else None)
