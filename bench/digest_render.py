"""How long rendering (and building the message of) a large digest takes: N synthetic Korean stories.

A weekly digest holds at most ``digest.max_stories`` (default 50) stories; 1,000 is the stress case (a backlog after
weeks without a send).  Target: render_digest under 1 s for 1,000 stories.  Also summarises each story's
article text, as compose does.  Prints the figures and the command that produced them.

    python bench/digest_render.py [--stories 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from digest.mail import build_message  # noqa: E402
from digest.records import ArticleRef, Digest, DigestCounts, DigestStory, rank_stories  # noqa: E402
from digest.render import render_digest  # noqa: E402
from digest.summarize import summarize  # noqa: E402

NOW = datetime(2026, 11, 23, 23, 0, tzinfo=timezone.utc)
OUTLETS = ("한빛일보", "테크데일리", "반도체경제", "AI타임스", "한국무역신문", "서울경제신문", "전자신문", "디지털포스트")
BODY = ("[서울=가상통신] 홍길동 기자 = 미국 상무부 산업안보국(BIS)이 {i}번째 후속 조치로 AI 가속기와 고대역폭메모리(HBM)의 "
        "중국 수출 허가 요건을 강화했다. 엔비디아와 AMD의 중국 전용 제품도 U.S. 정부의 사전 허가를 받아야 하며, "
        "관세율은 3.5% 오른다. 중국 상무부는 \"단호히 반대한다\"며 갈륨·게르마늄 수출 통제 확대를 예고했다. "
        "업계는 말레이시아와 싱가포르를 거친 우회 수출 단속이 이어질 것으로 본다.\n"
        "▲ 반도체 장비 전시회 모습. /가상통신\n홍길동 기자 hong@example.com\nⓒ 가상통신 무단 전재 및 재배포 금지")


def make_digest(n: int) -> tuple[Digest, float]:
    """A digest of ``n`` stories, and the seconds spent summarising their article texts."""
    stories = []
    summarize_seconds = 0.0
    for i in range(n):
        lead_outlet = OUTLETS[i % len(OUTLETS)]
        others = tuple(ArticleRef(f"https://o{j}.example/news/{i}", OUTLETS[(i + j) % len(OUTLETS)],
                                  f"후속 보도 {i}-{j}", NOW - timedelta(hours=j)) for j in range(1, 1 + i % 5))
        started = time.perf_counter()
        summary = summarize(BODY.format(i=i))
        summarize_seconds += time.perf_counter() - started
        stories.append(DigestStory(
            story_id=i, lead=ArticleRef(f"https://news.example/article/{i}?utm_source=rss", lead_outlet,
                                        f"美, AI 칩 대중 수출통제 {i}차 강화…<엔비디아> 중국 전용 칩도 허가 대상",
                                        NOW - timedelta(minutes=37 * i)),
            summary=summary, matched_terms=("수출통제", "HBM", "엔비디아", "중국", "BIS"), others=others,
            relevance=20 + i % 13))
    ranked = rank_stories(stories)
    counts = DigestCounts(n, sum(1 + len(s.others) for s in ranked), len(OUTLETS), 3 * n, n // 10)
    digest = Digest(f"cw-bench-{n}", "AI 칩 수출통제", NOW - timedelta(days=7), NOW, NOW, ranked, counts)
    return digest, summarize_seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    digest, summarize_seconds = make_digest(args.stories)
    render_ms, message_ms = [], []
    for _ in range(max(1, args.repeat)):
        started = time.perf_counter()
        rendered = render_digest(digest)
        render_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        msg = build_message(digest, rendered, sender="chipwatch@example.com", recipients=["a@example.com"])
        size = len(msg.as_bytes())
        message_ms.append((time.perf_counter() - started) * 1000)

    print(f"stories:              {args.stories}")
    print(f"summarize (all):      {summarize_seconds * 1000:.1f} ms "
          f"({summarize_seconds * 1e6 / max(1, args.stories):.0f} µs per article)")
    print(f"render_digest:        first {render_ms[0]:.1f} ms, median {statistics.median(render_ms):.1f} ms "
          f"(target < 1000 ms for 1000 stories)")
    print(f"build_message+bytes:  median {statistics.median(message_ms):.1f} ms")
    print(f"sizes:                HTML {len(rendered.html) / 1024:.0f} KiB, text {len(rendered.text) / 1024:.0f} KiB, "
          f"message {size / 1024:.0f} KiB")
    print(f"command: python {' '.join(sys.argv)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
