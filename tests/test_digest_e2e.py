"""`chipwatch digest preview` and `digest send` as a user runs them, against a crawled sample web and a real
SMTP server: nothing is marked until the server accepted the message, a failure loses nothing, and a second
send mails nothing twice."""

from __future__ import annotations

import email
import email.policy
import json
import shutil

import pytest

from tests.conftest import chipwatch, write_config
from tests.smtp_server import SmtpServer, free_port


@pytest.fixture(scope="module")
def crawled_home(sample_web, tmp_path_factory):
    home = tmp_path_factory.mktemp("digest")
    config = write_config(home / "chipwatch.toml", sample_web)
    chipwatch("--config", str(config), "crawl", cwd=home, check=True)
    return home


def fresh_copy(crawled_home, tmp_path, smtp_block: str = "") -> tuple:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(crawled_home / "chipwatch.db", home / "chipwatch.db")
    text = (crawled_home / "chipwatch.toml").read_text(encoding="utf-8")
    if "[digest]" in smtp_block:
        text = text.replace('[digest]\noutbox = "outbox"\n', "")
    (home / "chipwatch.toml").write_text(text + "\n" + smtp_block, encoding="utf-8")
    return home, home / "chipwatch.toml"


def exported(home, config):
    proc = chipwatch("--config", str(config), "export", "--format", "jsonl", cwd=home, check=True)
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_preview_writes_html_and_marks_nothing(crawled_home, tmp_path):
    home, config = fresh_copy(crawled_home, tmp_path)
    out = tmp_path / "p.html"
    proc = chipwatch("--config", str(config), "digest", "preview", "-o", str(out), cwd=home, check=True)
    assert str(out) in proc.stdout and "이야기 4건" in proc.stdout
    html = out.read_text(encoding="utf-8")
    assert "HBM" in html and "H20" in html and "어센드" in html and ("밀반입" in html or "밀수" in html)
    assert all(r["digest"] is None for r in exported(home, config))


def test_send_marks_only_after_acceptance_and_never_twice(crawled_home, tmp_path):
    with SmtpServer(tmp_path, "starttls", user="bot", password="pw-123") as server:
        block = (f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "starttls"\nusername = "bot"\n'
                 f'password_env = "CW_TEST_SMTP_PW"\nca_file = "{server.cert}"\ntimeout = 5\n'
                 '[digest]\nrecipients = ["analyst@example.com", "team@example.com"]\nsender = "cw@example.com"\n'
                 'outbox = "outbox"\n')
        home, config = fresh_copy(crawled_home, tmp_path, block)
        env = {"CW_TEST_SMTP_PW": "pw-123"}

        # 1. the server is down: non-zero exit, one line, nothing marked
        down = config.read_text(encoding="utf-8").replace(f"port = {server.port}", f"port = {free_port()}")
        down_config = home / "down.toml"
        down_config.write_text(down, encoding="utf-8")
        failed = chipwatch("--config", str(down_config), "digest", "send", cwd=home, env=env)
        assert failed.returncode != 0
        assert failed.stderr.strip().count("\n") == 0 and "SMTP" in failed.stderr and "pw-123" not in failed.stderr
        assert all(r["digest"] is None for r in exported(home, config))

        # 2. wrong password: refused, nothing marked, the password never printed
        wrong = chipwatch("--config", str(config), "digest", "send", cwd=home, env={"CW_TEST_SMTP_PW": "nope"})
        assert wrong.returncode != 0 and "로그인 실패" in wrong.stderr and "nope" not in wrong.stderr
        assert not server.capture.messages

        # 3. delivered: the stories are marked with the digest id
        sent = chipwatch("--config", str(config), "digest", "send", cwd=home, env=env, check=True)
        assert "보냈습니다" in sent.stdout
        assert len(server.capture.messages) == 1
        mail_from, rcpts, raw = server.capture.messages[0]
        assert sorted(rcpts) == ["analyst@example.com", "team@example.com"]
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        text = msg.get_body(("plain",)).get_content()
        assert "AI 칩 수출통제" in msg["Subject"] and "HBM" in text
        rows = exported(home, config)
        mailed = {r["digest"] for r in rows if r["digest"]}
        assert len(mailed) == 1 and msg["X-Chipwatch-Digest"] in mailed
        kept_urls = {r["url"] for r in rows if r["relevant"] and r["language"] == "ko" and not r["duplicate_of"]
                     and r["published"] > "2026-01-01"}
        assert {r["url"] for r in rows if r["digest"]} >= {u for u in kept_urls if "idxno=1006" not in u}

        # 4. nothing new: no second email
        again = chipwatch("--config", str(config), "digest", "send", cwd=home, env=env, check=True)
        assert "보내지 않았습니다" in again.stdout
        assert len(server.capture.messages) == 1
        status = chipwatch("--config", str(config), "status", cwd=home, check=True)
        assert "발송 대기 중인 이야기: 0건" in status.stdout and "마지막 다이제스트" in status.stdout


def test_without_smtp_the_digest_goes_to_the_outbox(crawled_home, tmp_path):
    home, config = fresh_copy(crawled_home, tmp_path)
    proc = chipwatch("--config", str(config), "digest", "send", cwd=home, check=True)
    emls = list((home / "outbox").glob("*.eml"))
    assert len(emls) == 1 and str(emls[0]) in proc.stdout
    assert emls[0].with_suffix(".html").exists()
    msg = email.message_from_bytes(emls[0].read_bytes(), policy=email.policy.default)
    assert msg.get_content_type() == "multipart/alternative"


def test_two_sends_racing_produce_one_email(crawled_home, tmp_path):
    import os
    import subprocess
    import sys

    with SmtpServer(tmp_path) as server:
        block = (f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\ntimeout = 5\n'
                 '[digest]\nrecipients = ["analyst@example.com"]\noutbox = "outbox"\n')
        home, config = fresh_copy(crawled_home, tmp_path, block)
        env = {k: v for k, v in os.environ.items() if k != "CHIPWATCH_CONFIG"}
        procs = [subprocess.Popen([sys.executable, "-m", "digest.cli", "--config", str(config), "digest", "send"],
                                  cwd=home, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        outputs = [p.communicate(timeout=120) for p in procs]
        assert all(p.returncode == 0 for p in procs), outputs
        assert len(server.capture.messages) == 1
        assert sum("보냈습니다" in out for out, _ in outputs) == 1


def test_smtp_server_that_never_answers_times_out_and_loses_nothing(crawled_home, tmp_path):
    import time

    from tests.smtp_server import silent_server

    with silent_server() as port:
        block = (f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\ntimeout = 2\n'
                 '[digest]\nrecipients = ["analyst@example.com"]\noutbox = "outbox"\n')
        home, config = fresh_copy(crawled_home, tmp_path, block)
        start = time.monotonic()
        proc = chipwatch("--config", str(config), "digest", "send", cwd=home)
        assert time.monotonic() - start < 30
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "시간 초과" in lines[0], proc.stderr
    assert all(r["digest"] is None for r in exported(home, config))


def test_secrets_never_reach_logs_status_or_the_database(crawled_home, tmp_path):
    secret, naver_id, naver_secret = "Pw-3f9a7Qz!", "nv-id-77c1", "nv-secret-5e2d"
    with SmtpServer(tmp_path, "starttls", user="bot", password=secret) as server:
        block = (f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "starttls"\nusername = "bot"\n'
                 f'password_env = "CW_SECRET_PW"\nca_file = "{server.cert}"\ntimeout = 5\n'
                 '[digest]\nrecipients = ["analyst@example.com"]\noutbox = "outbox"\n')
        home, config = fresh_copy(crawled_home, tmp_path, block)
        env = {"CW_SECRET_PW": secret, "NAVER_CLIENT_ID": naver_id, "NAVER_CLIENT_SECRET": naver_secret}
        outputs = [chipwatch("-vv", "--config", str(config), "crawl", cwd=home, env=env),
                   chipwatch("-vv", "--config", str(config), "digest", "send", cwd=home, env=env),
                   chipwatch("-vv", "--config", str(config), "status", cwd=home, env=env),
                   chipwatch("--config", str(config), "digest", "send", cwd=home, env={"CW_SECRET_PW": "Wr0ng-9x1"})]
        assert outputs[1].returncode == 0 and len(server.capture.messages) == 1
    text = "".join(p.stdout + p.stderr for p in outputs)
    blobs = b"".join(p.read_bytes() for p in home.glob("chipwatch.db*"))
    for value in (secret, naver_id, naver_secret, "Wr0ng-9x1"):
        assert value not in text
        assert value.encode() not in blobs
