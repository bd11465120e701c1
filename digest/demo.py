"""``chipwatch demo``: the whole loop in under a minute, without network or SMTP.

Serves the sample web (fictional Korean outlets shipped with the package) on 127.0.0.1, crawls it into a
temporary database with the normal code path, writes the digest preview and the outbox message, and prints
what was kept and what was excluded, and why.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa

from crawler.configuration import builtin_dir, load_config
from crawler.run import run_crawl
from crawler.store import Store, articles
from crawler.summary import REASON_LABELS, plain_table
from digest.deliver import preview, send_pending
from digest.sampleweb import SampleWeb

VERDICT_WHY = {
    "kept": "새 관련 기사 → 다이제스트에 실림",
    "irrelevant": "주제와 무관 (수출 통계·실적·주가·챗봇·철강 관세 등)",
    "not_korean": "한국어 기사가 아님",
    "too_old": f"발행된 지 오래됨 (crawl.max_age_days 초과)",
    "duplicate:seed": "독자가 이미 아는 기사(시드)의 사본",
    "duplicate:article": "이미 수집한 다른 기사의 사본(전재)",
}


def _config_text(web: SampleWeb) -> str:
    lines = ['[storage]\nurl = "sqlite:///demo.db"\n',
             f'[seeds]\npath = "{builtin_dir() / "seeds"}"\n',
             '[crawl]\ndelay = 0\ncontact = "demo@example.com"\ntimeout = 10\nretries = 1\n',
             '[digest]\noutbox = "outbox"\nrecipients = []\n']
    for name, kind, url in web.sources():
        lines.append(f'[[sources]]\nname = "{name}"\nkind = "{kind}"\nurl = "{url}"\n')
    return "\n".join(lines)


def run_demo(keep: Path | None, *, now: datetime | None = None) -> int:
    now = now or datetime.now(timezone.utc)
    workdir = keep or Path(tempfile.mkdtemp(prefix="chipwatch-demo-"))
    workdir.mkdir(parents=True, exist_ok=True)
    for stale in ("demo.db", "demo.db-wal", "demo.db-shm"):
        (workdir / stale).unlink(missing_ok=True)
    print(f"chipwatch 데모: 예제 언론사 4곳(가상)을 127.0.0.1에 띄우고 수집합니다. 작업 폴더: {workdir}")
    with SampleWeb(now=now) as web:
        config_path = workdir / "chipwatch.toml"
        config_path.write_text(_config_text(web), encoding="utf-8")
        config = load_config(config_path)
        result = run_crawl(config, progress=sys.stderr.isatty())
    print()
    print("1) 수집 결과 (출처별):")
    print(plain_table(result.counts))
    store = Store(config.storage.url)
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(articles.c.verdict, articles.c.title, articles.c.source,
                                      articles.c.duplicate_of).order_by(articles.c.verdict)).all()
    store.close()
    counts = Counter(r.verdict for r in rows)
    print()
    print("2) 저장한 기사와 판정:")
    for verdict, why in VERDICT_WHY.items():
        if counts.get(verdict):
            print(f"  - {REASON_LABELS.get(verdict, verdict)} {counts[verdict]}건: {why}")
            if verdict != "kept":
                for r in rows:
                    if r.verdict == verdict:
                        extra = f" (원본: {r.duplicate_of})" if r.duplicate_of else ""
                        print(f"      · [{r.source}] {r.title}{extra}")
    dropped = Counter()
    for c in result.counts:
        for reason, n in c.drops:
            if reason not in VERDICT_WHY:
                dropped[reason] += n
    if dropped:
        print("  - 받지 않았거나 받지 못한 링크: " + ", ".join(f"{REASON_LABELS.get(r, r)} {n}건"
                                               for r, n in dropped.items()))
    html_path, n = preview(config, workdir / "digest-preview.html", now=now)
    outcome = send_pending(config, now=now)
    print()
    print(f"3) 다이제스트: 같은 사건을 보도한 기사들을 묶어 이야기 {n}건으로 만들었습니다.")
    print(f"   미리 보기(HTML): {html_path}")
    print(f"   {outcome.message}")
    print()
    print("실제 출처로 수집하려면: chipwatch crawl   /  설정 방법: README.md")
    return 0
