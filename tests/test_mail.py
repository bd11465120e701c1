"""Delivery through real aiosmtpd servers on 127.0.0.1; the message parsed back with the email package."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from crawler.configuration import SmtpConfig
from crawler.errors import MailError
from digest.mail import build_message, message_id_for, send_message, write_outbox
from digest.records import ArticleRef, Digest, DigestCounts, DigestStory
from digest.render import render_digest
from tests.smtp_server import SmtpServer, free_port

NOW = datetime(2026, 11, 23, 23, 0, tzinfo=timezone.utc)


def sample_digest(title: str = "美 상무부, HBM 대중 수출통제 강화", url: str = "https://news.example/a/1") -> Digest:
    story = DigestStory(
        story_id=7, lead=ArticleRef(url, "한빛일보", title, NOW),
        summary="미국 상무부가 고대역폭메모리의 중국 수출을 막는 규정을 발표했다. 중국은 반발했다.",
        matched_terms=("수출통제", "HBM", "중국"),
        others=(ArticleRef("https://other.example/b", "테크데일리", "HBM까지 막았다", NOW),), relevance=27.0)
    return Digest(digest_id="cw-test0001", topic="AI 칩 수출통제", period_start=NOW, period_end=NOW,
                  created_at=NOW, stories=(story,), counts=DigestCounts(1, 2, 2, 1, 1))


def message(digest: Digest | None = None, recipients=("a@example.com",)):
    d = digest or sample_digest()
    return build_message(d, render_digest(d), sender="chipwatch@example.com", recipients=recipients)


def test_message_structure_korean_and_stable_message_id():
    msg = message()
    assert msg.get_content_type() == "multipart/alternative"
    parts = [p.get_content_type() for p in msg.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in msg.iter_parts())
    raw = msg.as_bytes()
    assert b"=?utf-8?" in raw.split(b"\n\n", 1)[0]          # RFC 2047 encoded subject on the wire
    assert msg["Message-ID"] == message_id_for("cw-test0001") == str(message()["Message-ID"])


def test_plain_smtp_delivers_and_parses_back(tmp_path):
    with SmtpServer(tmp_path) as server:
        smtp = SmtpConfig(host="127.0.0.1", port=server.port, security="none", username="", timeout=5)
        result = send_message(message(recipients=("a@example.com", "b@example.com")), smtp,
                              ["a@example.com", "b@example.com"])
        assert result.accepted == ("a@example.com", "b@example.com") and not result.refused
        got = server.capture.parsed()
    assert "AI 칩 수출통제" in got["Subject"] and "주간 다이제스트" in got["Subject"]
    text = got.get_body(("plain",)).get_content()
    html = got.get_body(("html",)).get_content()
    assert "美 상무부, HBM 대중 수출통제 강화" in text and "https://news.example/a/1" in text
    assert 'href="https://news.example/a/1"' in html and "테크데일리" in html


def test_starttls_with_auth(tmp_path, monkeypatch):
    monkeypatch.setenv("CW_PW", "s3cret")
    with SmtpServer(tmp_path, "starttls", user="bot", password="s3cret") as server:
        smtp = SmtpConfig(host="127.0.0.1", port=server.port, security="starttls", username="bot",
                          password_env="CW_PW", timeout=5)
        send_message(message(), smtp, ["a@example.com"], context=server.client_context())
        assert len(server.capture.messages) == 1


def test_wrong_password_is_refused_without_leaking_it(tmp_path, monkeypatch):
    monkeypatch.setenv("CW_PW", "wrong-Pa55")
    with SmtpServer(tmp_path, "starttls", user="bot", password="s3cret") as server:
        smtp = SmtpConfig(host="127.0.0.1", port=server.port, security="starttls", username="bot",
                          password_env="CW_PW", timeout=5)
        with pytest.raises(MailError) as err:
            send_message(message(), smtp, ["a@example.com"], context=server.client_context())
        assert not server.capture.messages
    assert "로그인 실패" in str(err.value) and "wrong-Pa55" not in str(err.value) and "\n" not in str(err.value)


def test_implicit_tls(tmp_path):
    with SmtpServer(tmp_path, "ssl") as server:
        smtp = SmtpConfig(host="127.0.0.1", port=server.port, security="ssl", timeout=5)
        send_message(message(), smtp, ["a@example.com"], context=server.client_context())
        assert len(server.capture.messages) == 1


def test_untrusted_certificate_is_an_error(tmp_path):
    with SmtpServer(tmp_path, "ssl") as server:
        smtp = SmtpConfig(host="127.0.0.1", port=server.port, security="ssl", timeout=5)
        with pytest.raises(MailError, match="TLS"):
            send_message(message(), smtp, ["a@example.com"])


def test_server_down_fails_fast_with_one_line():
    smtp = SmtpConfig(host="127.0.0.1", port=free_port(), security="none", timeout=5)
    start = time.monotonic()
    with pytest.raises(MailError) as err:
        send_message(message(), smtp, ["a@example.com"])
    assert time.monotonic() - start < 3
    assert "연결" in str(err.value) and "127.0.0.1" in str(err.value) and "\n" not in str(err.value)


def test_tls_required_but_not_offered(tmp_path):
    with SmtpServer(tmp_path, "plain") as server:
        smtp = SmtpConfig(host="127.0.0.1", port=server.port, security="starttls", timeout=5)
        with pytest.raises(MailError, match="STARTTLS"):
            send_message(message(), smtp, ["a@example.com"])
        assert not server.capture.messages


def test_one_recipient_refused_others_delivered(tmp_path):
    with SmtpServer(tmp_path) as server:
        server.capture.refuse_rcpt.add("gone@example.com")
        smtp = SmtpConfig(host="127.0.0.1", port=server.port, security="none", timeout=5)
        result = send_message(message(), smtp, ["a@example.com", "gone@example.com"])
        assert result.accepted == ("a@example.com",) and "gone@example.com" in result.refused
        assert server.capture.messages[0][1] == ["a@example.com"]


def test_all_recipients_refused_is_an_error(tmp_path):
    with SmtpServer(tmp_path) as server:
        server.capture.refuse_rcpt.add("gone@example.com")
        smtp = SmtpConfig(host="127.0.0.1", port=server.port, security="none", timeout=5)
        with pytest.raises(MailError, match="거부"):
            send_message(message(), smtp, ["gone@example.com"])


def test_temporary_failure_is_an_error_then_next_attempt_delivers(tmp_path):
    with SmtpServer(tmp_path) as server:
        server.capture.fail_data_times = 1
        smtp = SmtpConfig(host="127.0.0.1", port=server.port, security="none", timeout=5)
        with pytest.raises(MailError, match="451"):
            send_message(message(), smtp, ["a@example.com"])
        send_message(message(), smtp, ["a@example.com"])
        assert len(server.capture.messages) == 1


def test_write_outbox(tmp_path):
    d = sample_digest()
    rendered = render_digest(d)
    path = write_outbox(message(d), rendered, tmp_path / "outbox", d.digest_id)
    assert path.suffix == ".eml" and b"\nSubject: " in b"\n" + path.read_bytes()
    assert (tmp_path / "outbox" / "cw-test0001.html").read_text(encoding="utf-8") == rendered.html
