"""`chipwatch run` as a real process: schedules stored in the database, SIGTERM exits 0, and a digest missed while
the daemon was down is sent once when it comes back (never twice).  The missed run is prepared by moving the
stored next run time into the past, not by waiting a week."""

from __future__ import annotations

import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.conftest import chipwatch, write_config
from tests.smtp_server import SmtpServer


def start_daemon(config, home, env=None, stderr=subprocess.PIPE) -> subprocess.Popen:
    full_env = dict(os.environ, **(env or {}))
    full_env.pop("CHIPWATCH_CONFIG", None)
    return subprocess.Popen([sys.executable, "-m", "digest.cli", "--config", str(config), "run"], cwd=home,
                            env=full_env, stdout=subprocess.PIPE, stderr=stderr, text=True,
                            stdin=subprocess.DEVNULL)


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def jobs(db) -> dict:
    with sqlite3.connect(db) as conn:
        try:
            return {row[0]: row[1] for row in conn.execute("SELECT id, next_run_time FROM apscheduler_jobs")}
        except sqlite3.OperationalError:      # the daemon has not created its job table yet
            return {}


def move_job_into_past(db, job_id: str, when: datetime) -> None:
    with sqlite3.connect(db) as conn:
        (blob,) = conn.execute("SELECT job_state FROM apscheduler_jobs WHERE id = ?", (job_id,)).fetchone()
        state = pickle.loads(blob)
        state["next_run_time"] = when
        conn.execute("UPDATE apscheduler_jobs SET job_state = ?, next_run_time = ? WHERE id = ?",
                     (pickle.dumps(state, pickle.HIGHEST_PROTOCOL), when.timestamp(), job_id))


def stop(proc: subprocess.Popen) -> tuple[int, str]:
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    return proc.returncode, err


def test_daemon_catches_up_a_missed_digest_once_and_stops_on_sigterm(sample_web, tmp_path):
    home = tmp_path
    with SmtpServer(tmp_path) as server:
        extra = (f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\ntimeout = 5\n')
        config = write_config(home / "chipwatch.toml", sample_web, extra=extra)
        text = config.read_text(encoding="utf-8").replace(
            '[digest]\noutbox = "outbox"\n',
            '[digest]\noutbox = "outbox"\nrecipients = ["analyst@example.com"]\nschedule = "0 8 * * mon"\n')
        config.write_text(text, encoding="utf-8")
        db = home / "chipwatch.db"
        chipwatch("--config", str(config), "crawl", cwd=home, check=True)

        # First start: the jobs are created; SIGTERM stops the daemon cleanly.
        proc = start_daemon(config, home)
        wait_for(lambda: db.exists() and len(jobs(db)) == 2, 60, "the jobs to be stored")
        time.sleep(1)
        code, err = stop(proc)
        assert code == 0, err[-2000:]
        assert "daemon stopped" in err
        assert not server.capture.messages
        stored = jobs(db)
        assert datetime.fromtimestamp(stored["weekly_digest"], timezone.utc) > datetime.now(timezone.utc)

        status = chipwatch("--config", str(config), "status", cwd=home, check=True)
        assert "다음 다이제스트 실행" in status.stdout and "다음 수집 실행" in status.stdout

        # The daemon was down over a Monday 08:00: the stored next run lies in the past.
        missed = datetime.now(timezone.utc) - timedelta(days=3)
        move_job_into_past(db, "weekly_digest", missed)
        move_job_into_past(db, "crawl", datetime.now(timezone.utc) + timedelta(days=1))

        proc = start_daemon(config, home)
        try:
            wait_for(lambda: len(server.capture.messages) >= 1, 90, "the catch-up digest")
            time.sleep(3)
            assert len(server.capture.messages) == 1
        finally:
            code, err = stop(proc)
        assert code == 0, err[-2000:]
        assert datetime.fromtimestamp(jobs(db)["weekly_digest"], timezone.utc) > datetime.now(timezone.utc)

        # Back again: nothing is due and nothing is sent twice.
        proc = start_daemon(config, home)
        time.sleep(4)
        code, err = stop(proc)
        assert code == 0
        assert len(server.capture.messages) == 1


def test_daemon_refuses_to_start_half_configured(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text('[digest]\nschedule = "0 8 * * someday"\n', encoding="utf-8")
    proc = chipwatch("--config", str(config), "run", cwd=tmp_path, timeout=60)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "digest.schedule" in lines[0] and str(config) in lines[0]
    assert not (tmp_path / "data").exists()     # nothing was created or started


def child_pids(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return out


def crawled_home_with_digest_due(sample_web, home, server, overdue: timedelta):
    """A crawled sample web, SMTP to ``server``, and the daemon's stored digest job ``overdue`` (the crawl job a
    day ahead): the next daemon start sends at once.  -> (config path, database path)"""
    extra = f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\ntimeout = 20\n'
    config = write_config(home / "chipwatch.toml", sample_web, extra=extra)
    config.write_text(config.read_text(encoding="utf-8").replace(
        '[digest]\noutbox = "outbox"\n', '[digest]\noutbox = "outbox"\nrecipients = ["analyst@example.com"]\n'),
        encoding="utf-8")
    db = home / "chipwatch.db"
    chipwatch("--config", str(config), "crawl", cwd=home, check=True)
    proc = start_daemon(config, home)
    wait_for(lambda: db.exists() and len(jobs(db)) == 2, 60, "the jobs to be stored")
    time.sleep(1)
    assert stop(proc)[0] == 0
    move_job_into_past(db, "weekly_digest", datetime.now(timezone.utc) - overdue)
    move_job_into_past(db, "crawl", datetime.now(timezone.utc) + timedelta(days=1))
    return config, db


def test_daemon_killed_while_sending_resends_at_most_once_and_loses_nothing(sample_web, tmp_path):
    home = tmp_path
    with SmtpServer(tmp_path) as server:
        server.capture.data_delay = 4.0          # the server is slow to answer DATA: the kill lands mid-send
        config, db = crawled_home_with_digest_due(sample_web, home, server, timedelta(days=1))

        proc = start_daemon(config, home)
        wait_for(lambda: server.capture.data_started >= 1, 90, "the digest to reach DATA")
        for pid in child_pids(proc.pid):          # the digest child, then the daemon: no cleanup at all
            os.kill(pid, signal.SIGKILL)
        proc.kill()
        proc.communicate(timeout=30)
        time.sleep(server.capture.data_delay + 1)   # the server may still accept what it received
        server.capture.data_delay = 0.0
        copies_before_restart = len(server.capture.messages)
        assert copies_before_restart <= 1

        proc = start_daemon(config, home)           # the interrupted digest is retried at start-up
        try:
            wait_for(lambda: len(server.capture.messages) >= copies_before_restart + 1, 90, "the retried digest")
            time.sleep(3)
        finally:
            code, err = stop(proc)
        assert code == 0, err[-2000:]
        messages = server.capture.messages
        assert len(messages) <= 2                   # sent at most once more
        ids = {server.capture.parsed(i)["Message-ID"] for i in range(len(messages))}
        assert len(ids) == 1                        # the same digest, so clients fold the copies together
        status = chipwatch("--config", str(config), "status", cwd=home, check=True)
        assert "발송 대기 중인 이야기: 0건" in status.stdout   # its stories were marked, none lost


@pytest.mark.parametrize("first", ["daemon", "manual"])
def test_manual_send_racing_the_daemon_s_send_gives_one_email(sample_web, tmp_path, first):
    """The SMTP server holds DATA; while one sender (the daemon's scheduled digest, or a manual
    `chipwatch digest send`) is inside it, the other one starts.  The digest lock makes the second wait (the server
    answers DATA only once the second sender says it is waiting), then find nothing pending: one email, every
    story marked once."""
    home = tmp_path
    waiting = "다른 다이제스트 발송이 진행 중입니다"
    with SmtpServer(tmp_path) as server:
        config, db = crawled_home_with_digest_due(sample_web, home, server, timedelta(hours=1))
        server.capture.hold_data = threading.Event()
        env = dict(os.environ)
        env.pop("CHIPWATCH_CONFIG", None)
        manual_cmd = [sys.executable, "-m", "digest.cli", "--config", str(config), "digest", "send"]
        daemon_log, manual_log = tmp_path / "daemon.err", tmp_path / "manual.err"

        def says_waiting(log: Path) -> bool:
            return waiting in log.read_text(encoding="utf-8", errors="replace")

        with open(daemon_log, "w", encoding="utf-8") as daemon_err, \
                open(manual_log, "w", encoding="utf-8") as manual_err:
            if first == "daemon":
                proc = start_daemon(config, home, stderr=daemon_err)       # its due digest runs at once
                first_wait, second_log = "the daemon's digest to reach DATA", manual_log
            else:
                sender = subprocess.Popen(manual_cmd, cwd=home, env=env, stdout=subprocess.PIPE, stderr=manual_err,
                                          text=True)
                first_wait, second_log = "the manual digest to reach DATA", daemon_log
            try:
                wait_for(lambda: server.capture.data_started >= 1, 90, first_wait)
                if first == "daemon":
                    sender = subprocess.Popen(manual_cmd, cwd=home, env=env, stdout=subprocess.PIPE,
                                              stderr=manual_err, text=True)
                else:
                    proc = start_daemon(config, home, stderr=daemon_err)
                wait_for(lambda: says_waiting(second_log), 90, "the second sender to wait for the first")
                server.capture.hold_data.set()
                out, _ = sender.communicate(timeout=120)
                wait_for(lambda: not child_pids(proc.pid), 60, "the daemon's send to finish")
            finally:
                server.capture.hold_data.set()
                code, _ = stop(proc)
        err = daemon_log.read_text(encoding="utf-8")
        manual = subprocess.CompletedProcess(manual_cmd, sender.returncode, out, manual_log.read_text(encoding="utf-8"))

        assert code == 0, err[-2000:]
        assert manual.returncode == 0, manual.stderr[-2000:]
        assert "not confirmed as sent: retrying" not in err      # a send in progress is not an interrupted one
        assert len(server.capture.messages) == 1
        assert server.capture.data_started == 1                 # the second sender never even reached DATA
        loser = manual.stdout if first == "daemon" else err
        assert "새 기사가 없어 다이제스트를 보내지 않았습니다" in loser, loser[-2000:]
        waited = manual.stderr if first == "daemon" else err      # and it said why it was waiting
        assert "다른 다이제스트 발송이 진행 중입니다" in waited, waited[-2000:]
        winner = err if first == "daemon" else manual.stdout
        assert "다이제스트(이야기" in winner and "보냈습니다" in winner, winner[-2000:]
        status = chipwatch("--config", str(config), "status", cwd=home, check=True)
        assert "발송 대기 중인 이야기: 0건" in status.stdout
        with sqlite3.connect(db) as conn:
            sent = conn.execute("SELECT count(*) FROM digests WHERE status = 'sent'").fetchone()[0]
            marked = conn.execute("SELECT count(DISTINCT digest_id) FROM stories WHERE digest_id IS NOT NULL"
                                  ).fetchone()[0]
        assert sent == 1 and marked == 1
