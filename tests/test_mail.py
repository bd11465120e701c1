"""Delivery through real aiosmtpd servers on 127.0.0.1; the message parsed back with the email package."""

from __future__ import annotations

import email
import email.policy
import logging
import time
from datetime import datetime, timezone

import pytest

from crawler.configuration import SmtpConfig
from crawler.errors import MailError
from digest.mail import build_message, message_id_for, send_message, write_outbox
from digest.records import ArticleRef, Digest, DigestCounts, DigestStory
from digest.render import render_digest
from tests.smtp_server import SmtpServer, free_port, silent_server

NOW = datetime(2026, 11, 23, 23, 0, tzinfo=timezone.utc)
PASSWORD = "s3cret-Pa55"


def sample_digest(title: str = "美 상무부, HBM 대중 수출통제 강화", url: str = "https://news.example/a/1",
                  digest_id: str = "cw-test0001") -> Digest:
    story = DigestStory(
        story_id=7, lead=ArticleRef(url, "한빛일보", title, NOW),
        summary="미국 상무부가 고대역폭메모리의 중국 수출을 막는 규정을 발표했다. 중국은 반발했다.",
        matched_terms=("수출통제", "HBM", "중국"),
        others=(ArticleRef("https://other.example/b", "테크데일리", "HBM까지 막았다", NOW),), relevance=27.0)
    return Digest(digest_id=digest_id, topic="AI 칩 수출통제", period_start=NOW, period_end=NOW,
                  created_at=NOW, stories=(story,), counts=DigestCounts(1, 2, 2, 1, 1))


def message(digest: Digest | None = None, recipients=("a@example.com",)):
    d = digest or sample_digest()
    return build_message(d, render_digest(d), sender="chipwatch@example.com", recipients=recipients)


def smtp_for(server_or_port, security="none", **kw) -> SmtpConfig:
    port = server_or_port if isinstance(server_or_port, int) else server_or_port.port
    return SmtpConfig(host="127.0.0.1", port=port, security=security, timeout=kw.pop("timeout", 5), **kw)


# ---------------------------------------------------------------- the message


def test_message_parses_back_korean_multipart_utf8():
    msg = message(recipients=("a@example.com", "b@example.com"))
    parsed = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    parts = list(parsed.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parts)
    assert parsed["Subject"] == "[chipwatch] AI 칩 수출통제 주간 다이제스트 (2026년 11월 24일) — 새 소식 1건"
    head = msg.as_bytes().split(b"\n\n", 1)[0]
    assert b"=?utf-8?" in head and "수출".encode() not in head        # RFC 2047 on the wire, headers ASCII
    assert parsed["From"].addresses[0].display_name == "chipwatch"
    assert parsed["From"].addresses[0].addr_spec == "chipwatch@example.com"
    assert [a.addr_spec for a in parsed["To"].addresses] == ["a@example.com", "b@example.com"]
    assert parsed["Date"].datetime == NOW and parsed["Date"].datetime.utcoffset().total_seconds() == 9 * 3600
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert "美 상무부, HBM 대중 수출통제 강화" in parsed.get_body(("plain",)).get_content()
    assert 'href="https://news.example/a/1"' in parsed.get_body(("html",)).get_content()


def test_message_id_is_stable_per_digest():
    first, again = message(), message()
    assert first["Message-ID"] == again["Message-ID"] == message_id_for("cw-test0001", "example.com")
    assert first["Message-ID"].startswith("<cw-test0001.") and first["Message-ID"].endswith("@example.com>")
    other = message(sample_digest(digest_id="cw-test0002"))
    assert other["Message-ID"] != first["Message-ID"]
    assert message_id_for("cw/../\r\nX: y") == message_id_for("cw/../\r\nX: y")
    assert "\n" not in message_id_for("cw/../\r\nX: y") and " " not in message_id_for("cw/../\r\nX: y")


def test_title_with_newlines_cannot_inject_headers():
    msg = message(sample_digest(title="제목\r\nBcc: victim@example.com\r\n\r\n<b>본문</b>"))
    raw = msg.as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Bcc"] is None and "victim" not in raw.split(b"\n\n", 1)[0].decode()
    assert "\n" not in parsed["Subject"]


def test_bad_addresses_are_mail_errors():
    d = sample_digest()
    with pytest.raises(MailError, match="보내는 사람"):
        build_message(d, render_digest(d), sender="not-an-address", recipients=["a@example.com"])
    with pytest.raises(MailError, match="받는 사람"):
        build_message(d, render_digest(d), sender="cw@example.com", recipients=["a@example.com\r\nBcc: x@y.z"])


# ---------------------------------------------------------------- delivery


def test_plain_smtp_delivers_and_parses_back(tmp_path):
    with SmtpServer(tmp_path) as server:
        rcpts = ["a@example.com", "b@example.com"]
        result = send_message(message(recipients=rcpts), smtp_for(server), rcpts)
        assert result.accepted == tuple(rcpts) and not result.refused
        assert result.message_id == message_id_for("cw-test0001", "example.com")
        mail_from, got_rcpts, _ = server.capture.messages[0]
        got = server.capture.parsed()
    assert mail_from == "chipwatch@example.com" and got_rcpts == rcpts
    assert got["Subject"].startswith("[chipwatch] AI 칩 수출통제 주간 다이제스트")
    text = got.get_body(("plain",)).get_content()
    html = got.get_body(("html",)).get_content()
    assert "美 상무부, HBM 대중 수출통제 강화" in text and "\n   https://news.example/a/1\n" in text
    assert 'href="https://news.example/a/1"' in html and "테크데일리" in html


def test_starttls_with_auth_delivers_over_tls(tmp_path, monkeypatch):
    monkeypatch.setenv("CW_PW", PASSWORD)
    with SmtpServer(tmp_path, "starttls", user="bot", password=PASSWORD) as server:
        smtp = smtp_for(server, "starttls", username="bot", password_env="CW_PW", ca_file=str(server.cert))
        result = send_message(message(), smtp, ["a@example.com"])           # trusts the test CA via ca_file
        assert result.accepted == ("a@example.com",)
        assert len(server.capture.messages) == 1 and server.capture.logins == ["bot"]
        assert "AI 칩 수출통제" in server.capture.parsed()["Subject"]


def test_wrong_password_is_refused_without_leaking_it(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("CW_PW", "wrong-Pa55")
    caplog.set_level(logging.DEBUG)
    with SmtpServer(tmp_path, "starttls", user="bot", password=PASSWORD) as server:
        smtp = smtp_for(server, "starttls", username="bot", password_env="CW_PW")
        with pytest.raises(MailError) as err:
            send_message(message(), smtp, ["a@example.com"], context=server.client_context())
        assert not server.capture.messages
    text = str(err.value)
    assert "로그인 실패" in text and f"127.0.0.1:{server.port}" in text and "CW_PW" in text
    assert "wrong-Pa55" not in text and "\n" not in text and "wrong-Pa55" not in caplog.text
    assert err.value.__cause__ is None and err.value.__suppress_context__      # no traceback carrying it


def test_missing_password_variable_is_reported_before_connecting(monkeypatch):
    monkeypatch.delenv("CW_PW_UNSET", raising=False)
    smtp = smtp_for(free_port(), "starttls", username="bot", password_env="CW_PW_UNSET")
    with pytest.raises(MailError, match="CW_PW_UNSET"):
        send_message(message(), smtp, ["a@example.com"])


def test_auth_without_tls_is_not_offered(tmp_path, monkeypatch):
    monkeypatch.setenv("CW_PW", PASSWORD)
    with SmtpServer(tmp_path, "starttls", user="bot", password=PASSWORD) as server:
        smtp = smtp_for(server, "none", username="bot", password_env="CW_PW")   # config forgot starttls
        with pytest.raises(MailError, match="AUTH"):
            send_message(message(), smtp, ["a@example.com"])
        assert not server.capture.messages


def test_server_requiring_starttls_when_config_says_none(tmp_path):
    with SmtpServer(tmp_path, "starttls") as server:
        with pytest.raises(MailError, match="STARTTLS") as err:
            send_message(message(), smtp_for(server, "none"), ["a@example.com"])
        assert 'security = "starttls"' in str(err.value) and not server.capture.messages


def test_implicit_tls(tmp_path):
    with SmtpServer(tmp_path, "ssl") as server:
        result = send_message(message(), smtp_for(server, "ssl"), ["a@example.com"], context=server.client_context())
        assert result.accepted == ("a@example.com",) and len(server.capture.messages) == 1


def test_untrusted_certificate_is_an_error(tmp_path):
    with SmtpServer(tmp_path, "ssl") as server:
        with pytest.raises(MailError, match="인증서") as err:
            send_message(message(), smtp_for(server, "ssl"), ["a@example.com"])
        assert "smtp.ca_file" in str(err.value) and not server.capture.messages


def test_ssl_against_a_plain_server_names_the_setting(tmp_path):
    with SmtpServer(tmp_path, "plain") as server:
        with pytest.raises(MailError, match="TLS") as err:
            send_message(message(), smtp_for(server, "ssl", timeout=3), ["a@example.com"])
        assert f"127.0.0.1:{server.port}" in str(err.value) and "\n" not in str(err.value)


def test_server_down_fails_fast_with_one_line():
    port = free_port()
    start = time.monotonic()
    with pytest.raises(MailError) as err:
        send_message(message(), smtp_for(port), ["a@example.com"])
    assert time.monotonic() - start < 3
    text = str(err.value)
    assert "연결 거부" in text and f"127.0.0.1:{port}" in text and "\n" not in text


def test_silent_server_times_out():
    with silent_server() as port:
        start = time.monotonic()
        with pytest.raises(MailError, match="시간 초과") as err:
            send_message(message(), smtp_for(port, timeout=0.5), ["a@example.com"])
        assert time.monotonic() - start < 3 and f"127.0.0.1:{port}" in str(err.value)


def test_tls_required_but_not_offered(tmp_path):
    with SmtpServer(tmp_path, "plain") as server:
        with pytest.raises(MailError, match="STARTTLS를 제공하지 않습니다"):
            send_message(message(), smtp_for(server, "starttls"), ["a@example.com"])
        assert not server.capture.messages


def test_one_recipient_refused_others_delivered(tmp_path):
    with SmtpServer(tmp_path) as server:
        server.capture.refuse_rcpt.add("gone@example.com")
        result = send_message(message(), smtp_for(server), ["a@example.com", "gone@example.com"])
        assert result.accepted == ("a@example.com",)
        assert result.refused == {"gone@example.com": "550 5.1.1 No such user here"}
        assert server.capture.messages[0][1] == ["a@example.com"]


def test_all_recipients_refused_is_an_error(tmp_path):
    with SmtpServer(tmp_path) as server:
        server.capture.refuse_rcpt.update({"gone@example.com", "left@example.com"})
        with pytest.raises(MailError, match="모든 받는 사람을 거부") as err:
            send_message(message(), smtp_for(server), ["gone@example.com", "left@example.com"])
        assert "gone@example.com: 550" in str(err.value) and not server.capture.messages


def test_no_recipients_is_an_error():
    with pytest.raises(MailError, match="받는 사람이 없습니다"):
        send_message(message(recipients=()), smtp_for(free_port()), [])


def test_temporary_failure_is_an_error_then_next_attempt_delivers(tmp_path):
    with SmtpServer(tmp_path) as server:
        server.capture.fail_data_times = 1
        with pytest.raises(MailError, match="451") as err:
            send_message(message(), smtp_for(server), ["a@example.com"])
        assert "일시적" in str(err.value)
        send_message(message(), smtp_for(server), ["a@example.com"])
        assert len(server.capture.messages) == 1


# ---------------------------------------------------------------- outbox


def test_write_outbox_writes_eml_and_html(tmp_path):
    d = sample_digest()
    rendered = render_digest(d)
    path = write_outbox(message(d), rendered, tmp_path / "outbox" / "new", d.digest_id)
    assert path == (tmp_path / "outbox" / "new" / "cw-test0001.eml").resolve()
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert parsed["Subject"] == rendered.subject and parsed["Message-ID"] == message(d)["Message-ID"]
    assert (tmp_path / "outbox" / "new" / "cw-test0001.html").read_text(encoding="utf-8") == rendered.html
    assert sorted(p.name for p in path.parent.iterdir()) == ["cw-test0001.eml", "cw-test0001.html"]   # no temp files


def test_write_outbox_keeps_the_digest_id_inside_the_folder(tmp_path):
    d = sample_digest(digest_id="../../escape")
    path = write_outbox(message(d), render_digest(d), tmp_path / "outbox", d.digest_id)
    assert path.parent == (tmp_path / "outbox").resolve() and path.suffix == ".eml"
