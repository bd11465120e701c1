"""The per-source crawl summary as a table: the same rows for the live display, the end-of-crawl table and
``chipwatch status``."""

from __future__ import annotations

from collections.abc import Sequence

from crawler.store import SourceCounts

COLUMNS = ("출처", "발견", "기존", "받음", "저장", "채택", "제외 사유", "상태")

# Korean labels for drop reasons and verdicts (the machine names stay in exports and logs).
REASON_LABELS = {
    "kept": "채택", "irrelevant": "무관", "not_korean": "비한국어", "too_old": "오래됨", "duplicate:seed": "중복:시드",
    "duplicate:article": "중복:기사", "duplicate:url": "중복:URL", "robots": "robots", "http_error": "HTTP오류",
    "timeout": "시간초과", "network_error": "네트워크", "too_large": "너무큼", "not_html": "HTML아님",
    "extract_failed": "추출실패", "redirect_loop": "리다이렉트", "unsafe_url": "위험URL", "worker_crashed": "분석중단",
    "not_a_feed": "피드아님", "not_a_sitemap": "사이트맵아님", "entity_expansion": "엔티티공격",
}


def reason_label(reason: str) -> str:
    if reason.startswith("source:"):
        return "출처:" + REASON_LABELS.get(reason[7:], reason[7:])
    return REASON_LABELS.get(reason, reason)


def drops_text(drops: Sequence[tuple[str, int]]) -> str:
    return ", ".join(f"{reason_label(r)} {n}" for r, n in sorted(drops, key=lambda x: (-x[1], x[0])) if n) or "-"


def row(c: SourceCounts) -> tuple[str, ...]:
    state = f"실패: {c.error}" if c.error else "정상"
    return (c.source, str(c.seen), str(c.known), str(c.fetched), str(c.stored), str(c.kept),
            drops_text(c.drops), state)


def totals(counts: Sequence[SourceCounts]) -> SourceCounts:
    merged: dict[str, int] = {}
    for c in counts:
        for r, n in c.drops:
            merged[r] = merged.get(r, 0) + n
    failed = sum(1 for c in counts if c.error)
    return SourceCounts("합계", sum(c.seen for c in counts), sum(c.known for c in counts),
                        sum(c.fetched for c in counts), sum(c.stored for c in counts),
                        sum(c.kept for c in counts), tuple(merged.items()),
                        f"출처 {failed}곳 실패" if failed else None)


def rich_table(counts: Sequence[SourceCounts], title: str | None = None):
    from rich.table import Table

    table = Table(title=title, show_lines=False, expand=False)
    for name in COLUMNS:
        table.add_column(name, overflow="fold", justify="right" if name in ("발견", "기존", "받음", "저장", "채택")
                         else "left")
    for c in counts:
        table.add_row(*row(c), style="red" if c.error else None)
    if len(counts) > 1:
        table.add_row(*row(totals(counts)), style="bold")
    return table


def plain_table(counts: Sequence[SourceCounts]) -> str:
    """Tab-separated lines: readable in a log file and easy to grep."""
    lines = ["\t".join(COLUMNS)]
    lines += ["\t".join(row(c)) for c in counts]
    if len(counts) > 1:
        lines.append("\t".join(row(totals(counts))))
    return "\n".join(lines)
