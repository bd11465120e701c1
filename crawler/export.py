"""``chipwatch export``: every stored article with exactly the SPEC's columns, as JSON lines or CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import astuple, dataclass, fields
from typing import TextIO
from zoneinfo import ZoneInfo

from crawler.store import Store, from_db_time

SEOUL = ZoneInfo("Asia/Seoul")


@dataclass(frozen=True, slots=True)
class ExportRow:
    url: str
    source: str
    title: str | None
    published: str | None      # ISO 8601 with offset (Asia/Seoul)
    language: str | None
    text: str
    relevant: bool
    relevance: float
    duplicate_of: str | None
    story: int | None
    digest: str | None


COLUMNS = tuple(f.name for f in fields(ExportRow))


def export_rows(store: Store) -> Iterator[ExportRow]:
    for r in store.iter_export_rows():
        published = from_db_time(r.published)
        yield ExportRow(
            url=r.url, source=r.source, title=r.title,
            published=published.astimezone(SEOUL).isoformat() if published else None,
            language=r.language, text=r.text, relevant=bool(r.relevant), relevance=round(float(r.relevance), 4),
            duplicate_of=r.duplicate_of, story=r.story_id, digest=r.digest_id,
        )


def write_jsonl(rows: Iterator[ExportRow], out: TextIO) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(dict(zip(COLUMNS, astuple(row))), ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(rows: Iterator[ExportRow], out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    n = 0
    for row in rows:
        values = []
        for value in astuple(row):
            if value is None:
                values.append("")
            elif isinstance(value, bool):
                values.append("true" if value else "false")
            else:
                values.append(value)
        writer.writerow(values)
        n += 1
    return n
