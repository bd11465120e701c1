"""The digest HTML in a real browser engine: headless Chromium screenshots at desktop and phone widths.

Skipped when chromium (Debian's /usr/bin/chromium, or one on PATH) is absent.  Set CHIPWATCH_SHOTS_DIR to
keep the PNGs for a human to look at.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from digest.records import ArticleRef, Digest, DigestCounts, DigestStory
from digest.render import render_digest

CHROMIUM = Path("/usr/bin/chromium") if Path("/usr/bin/chromium").exists() else \
    Path(shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium")
NOW = datetime(2026, 11, 23, 23, 0, tzinfo=timezone.utc)
PAGE_BACKGROUND = (0xEE, 0xF1, 0xF5)     # the body colour in digest.html.j2

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium is not installed")


def sample_digest() -> Digest:
    ref = ArticleRef
    stories = (
        DigestStory(1, ref("https://news.example/a/1", "한빛일보",
                           "美 상무부, HBM·AI 가속기 대중 수출통제 대폭 강화…엔비디아 중국 전용 칩도 허가 대상",
                           NOW - timedelta(days=2)),
                    "미국 상무부가 고대역폭메모리(HBM)와 AI 가속기의 중국 수출을 막는 새 규정을 발표했다. "
                    "엔비디아의 중국 전용 칩도 앞으로는 수출 허가를 받아야 한다. 중국 상무부는 즉각 반발했다.",
                    ("수출통제", "HBM", "엔비디아", "중국", "상무부"),
                    (ref("https://b.example/2", "테크데일리", "t", NOW), ref("https://c.example/3", "반도체경제", "t", NOW),
                     ref("javascript:alert(1)", "<b>수상한</b>언론", "t", NOW)), 30.0),
        DigestStory(2, ref("https://news.example/a/2", "AI타임스", "중국, 갈륨·게르마늄 수출 허가제 확대로 맞불",
                           NOW - timedelta(days=1)),
                    "중국 정부가 반도체 원료인 갈륨과 게르마늄의 수출 허가 대상을 넓혔다. 미국의 추가 통제에 대한 대응으로 풀이된다.",
                    ("수출통제", "중국"), (ref("https://e.example/5", "한국무역신문", "t", NOW),), 24.0),
        DigestStory(3, ref("https://news.example/a/" + "x" * 150, "전자신문",
                           "말레이시아경유AI칩우회수출의혹미국제3국통제검토" * 3, None), "", ("우회 수출",), (), 18.0),
    )
    return Digest("cw-browser", "AI 칩 수출통제", NOW - timedelta(days=7), NOW, NOW, stories,
                  DigestCounts(3, 7, 6, 5, 2))


def read_png(path: Path) -> tuple[int, int, list[list[tuple[int, int, int]]]]:
    """Width, height and RGB rows of an 8-bit, non-interlaced RGB/RGBA PNG (what Chromium writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, previous = [], bytearray(stride)
    for y in range(height):
        filter_type = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - bpp] if x >= bpp else 0
            up = previous[x]
            upper_left = previous[x - bpp] if x >= bpp else 0
            if filter_type == 1:
                line[x] = (line[x] + left) & 0xFF
            elif filter_type == 2:
                line[x] = (line[x] + up) & 0xFF
            elif filter_type == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif filter_type == 4:
                p = left + up - upper_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else upper_left)) & 0xFF
        rows.append([tuple(line[i:i + 3]) for i in range(0, stride, bpp)])
        previous = line
    return width, height, rows


def screenshot(html: Path, png: Path, width: int, height: int, profile: Path) -> None:
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
           f"--user-data-dir={profile}", f"--screenshot={png}", f"--window-size={width},{height}", html.as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=90, stdin=subprocess.DEVNULL)
    assert png.exists(), f"chromium wrote no screenshot ({proc.returncode}): {proc.stderr[-1500:]}"


@pytest.mark.parametrize("width, height", [(1200, 1400), (390, 1800)])
def test_digest_renders_in_chromium(tmp_path, width, height):
    html = tmp_path / "digest.html"
    html.write_text(render_digest(sample_digest()).html, encoding="utf-8")
    png = tmp_path / f"digest-{width}.png"
    screenshot(html, png, width, height, tmp_path / "profile")
    if os.environ.get("CHIPWATCH_SHOTS_DIR"):
        shutil.copy(png, Path(os.environ["CHIPWATCH_SHOTS_DIR"]) / png.name)

    w, h, rows = read_png(png)
    assert (w, h) == (width, height)
    pixels = Counter(p for row in rows[::4] for p in row[::4])
    background, count = pixels.most_common(1)[0]
    assert count / sum(pixels.values()) < 0.9, "the screenshot is (almost) blank"
    assert len(pixels) > 50, "no text was drawn (anti-aliased glyphs give many colours)"
    # The page fits the phone: the right margin stays page background along the card's height (nothing
    # pushes the layout wider than the screen, not even the long unbreakable title or URL).
    card_rows = [y for y in range(40, min(h, 1200), 10) if rows[y][w // 2] != PAGE_BACKGROUND]
    assert len(card_rows) > 20, "the white card is missing"
    assert all(rows[y][w - 3] == PAGE_BACKGROUND for y in card_rows), "content overflows the screen width"
