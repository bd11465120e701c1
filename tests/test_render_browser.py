"""Render the digest in headless Chromium (Debian's package) at desktop and phone widths.  Skips when chromium
is not installed (.ci/run installs it when it can)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from digest.render import render_digest
from tests.test_mail import sample_digest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def screenshot(html_path: Path, png: Path, width: int, tmp_path: Path) -> Path:
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / ('profile-' + png.stem)}",
                    f"--screenshot={png}", f"--window-size={width},1600", html_path.as_uri()],
                   capture_output=True, timeout=90)
    return png


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
@pytest.mark.parametrize("width", [1200, 390])
def test_digest_renders_in_a_browser_at_desktop_and_phone_width(tmp_path, width):
    page = tmp_path / "digest.html"
    page.write_text(render_digest(sample_digest()).html, encoding="utf-8")
    blank = tmp_path / "blank.html"
    blank.write_text("<html><body></body></html>", encoding="utf-8")
    shot = screenshot(page, tmp_path / f"digest-{width}.png", width, tmp_path)
    empty = screenshot(blank, tmp_path / f"blank-{width}.png", width, tmp_path)
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # a page with text and colour compresses far worse than an empty one
    assert shot.stat().st_size > 3 * empty.stat().st_size
