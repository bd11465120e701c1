"""``chipwatch run``: APScheduler 3.x runs the crawl and the digest on their crontab schedules.

Each job runs ``chipwatch crawl`` / ``chipwatch digest send`` as a child process with a timeout (Scrapy's reactor
cannot restart, and a hung crawl must be killable).  The job store is the application database, so the schedule
survives restarts.  Traps handled (see shared/notes/stack-facts.md §3):

* ``misfire_grace_time=None`` + ``coalesce=True``: a digest missed while the daemon was down runs once on start,
  never once per missed week;
* jobs are added only when missing; an existing job keeps its stored ``next_run_time`` (``replace_existing=True``
  would overwrite a missed run) and has its options updated; a changed crontab is rescheduled;
* crontab day-of-week numbers keep crontab's meaning (``crawler.crontab``);
* SIGTERM / Ctrl-C stop the scheduler between jobs: a running crawl child is asked to stop (SIGTERM, which
  Scrapy handles gracefully) and awaited, a running digest child is awaited.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from datetime import datetime

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from crawler.configuration import Config
from crawler.crontab import parse_crontab
from crawler.store import Store

log = logging.getLogger(__name__)

JOBS_TABLE = "apscheduler_jobs"
CRAWL_JOB = "crawl"
DIGEST_JOB = "weekly_digest"

_children: dict[str, subprocess.Popen] = {}
_children_lock = threading.Lock()


def child_command(config_file: str | None, *args: str) -> list[str]:
    cmd = [sys.executable, "-m", "digest.cli"]
    if config_file:
        cmd += ["--config", config_file]
    return cmd + list(args)


def run_child(name: str, cmd: list[str], timeout_s: float) -> int:
    """Run one job's child process; kill it after ``timeout_s``.  Its stderr goes to ours (the daemon's log)."""
    log.info("%s: starting %s", name, " ".join(cmd[3:]))
    env = dict(os.environ)
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=None, env=env,
                            text=True, start_new_session=True)
    with _children_lock:
        _children[name] = proc
    try:
        out, _ = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        log.error("%s: no result after %.0f s: child killed", name, timeout_s)
        proc.kill()
        proc.communicate()
        return -9
    finally:
        with _children_lock:
            _children.pop(name, None)
    for line in (out or "").splitlines():
        if line.strip():
            log.info("%s: %s", name, line)
    if proc.returncode:
        log.error("%s: exited with code %d", name, proc.returncode)
    else:
        log.info("%s: finished", name)
    return proc.returncode


def crawl_job(config_file: str | None, timeout_s: float) -> None:
    run_child("crawl", child_command(config_file, "crawl", "--no-progress"), timeout_s)


def digest_job(config_file: str | None, timeout_s: float) -> None:
    code = run_child("digest", child_command(config_file, "digest", "send"), timeout_s)
    if code:
        # The stories stay pending; the next scheduled send (or a manual one) carries them.
        log.error("digest: not sent this time; the stories stay pending for the next send")


def make_scheduler(config: Config) -> BackgroundScheduler:
    Store(config.storage.url).close()   # fail early, with a clear message, on an unusable database
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=config.storage.url, tablename=JOBS_TABLE)},
        executors={"default": ThreadPoolExecutor(2)},
        job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        timezone=config.digest.timezone,
    )


def trigger_for(expr: str, tz: str) -> CronTrigger:
    return CronTrigger(**parse_crontab(expr), timezone=tz)


def ensure_jobs(sched, config: Config) -> None:
    """Add the two jobs if missing; otherwise keep their stored next run and update options/schedule."""
    config_file = str(config.file) if config.file else None
    tz = config.digest.timezone
    specs = [
        (CRAWL_JOB, "digest.daemon:crawl_job", config.crawl.schedule, config.crawl.job_timeout_minutes),
        (DIGEST_JOB, "digest.daemon:digest_job", config.digest.schedule, config.digest.job_timeout_minutes),
    ]
    for job_id, func, expr, minutes in specs:
        name = f"{job_id} [{expr}] {tz}"
        args = (config_file, minutes * 60)
        job = sched.get_job(job_id)
        if job is None:
            sched.add_job(func, trigger_for(expr, tz), id=job_id, name=name, args=args,
                          misfire_grace_time=None, coalesce=True, max_instances=1)
            log.info("scheduled %s: %s", job_id, name)
            continue
        sched.modify_job(job_id, func=func, args=args, misfire_grace_time=None, coalesce=True, max_instances=1)
        if job.name != name:
            sched.reschedule_job(job_id, trigger=trigger_for(expr, tz))
            sched.modify_job(job_id, name=name)
            log.info("schedule of %s changed: %s", job_id, name)


def _on_event(event) -> None:
    if event.code == EVENT_JOB_MISSED:
        log.warning("job %s missed its run at %s", event.job_id, event.scheduled_run_time)
    elif event.code == EVENT_JOB_ERROR:
        log.error("job %s failed: %s", event.job_id, event.exception)


RETRY_JOB = "digest_retry"


def interrupted_digest(config: Config) -> str | None:
    """The id of a digest that was being sent (or failed) after the last one that went out, if any."""
    from crawler.store import last_digest

    store = Store(config.storage.url)
    try:
        pending = last_digest(store, ("sending", "failed"))
        sent = last_digest(store)
    finally:
        store.close()
    if pending is None or (sent is not None and sent.created_at >= pending.created_at):
        return None
    return pending.id


def digest_send_running(config: Config) -> bool:
    """True while another process holds the digest lock (a send in progress)."""
    from crawler.errors import CrawlLockedError
    from crawler.lock import exclusive

    try:
        with exclusive(config.storage.url, "digest"):
            return False
    except CrawlLockedError:
        return True


def schedule_interrupted_digest(sched, config: Config) -> None:
    """A digest cut off by a crash or a refused send is retried now, not a week later.  The retry composes the
    same pending stories, so it carries the same Message-ID: at most one more copy of an accepted message."""
    digest_id = interrupted_digest(config)
    if digest_id is None:
        return
    if digest_send_running(config):
        # "sending" because another process (a manual `digest send`) is sending it right now: not interrupted
        log.info("digest %s is being sent by another process; no retry", digest_id)
        return
    log.info("digest %s was not confirmed as sent: retrying it now", digest_id)
    sched.add_job("digest.daemon:digest_job", "date", id=RETRY_JOB, replace_existing=True,
                  args=(str(config.file) if config.file else None, config.digest.job_timeout_minutes * 60),
                  misfire_grace_time=None, coalesce=True, max_instances=1)


def run_forever(config: Config, *, stop_event: threading.Event | None = None) -> int:
    """Run until SIGTERM/SIGINT (or ``stop_event``); returns the exit code."""
    sched = make_scheduler(config)
    sched.add_listener(_on_event, EVENT_JOB_MISSED | EVENT_JOB_ERROR | EVENT_JOB_EXECUTED)
    stop = stop_event or threading.Event()

    def on_signal(signum, _frame):
        log.info("signal %s: stopping after the running job", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    # Paused start: the stored jobs are loaded but nothing runs until they are checked and updated.
    sched.start(paused=True)
    try:
        ensure_jobs(sched, config)
    except Exception:
        # Never shutdown() a paused scheduler: it would consume a due run.  Just leave; the thread is a daemon.
        log.exception("could not set up the schedule")
        return 1
    schedule_interrupted_digest(sched, config)
    sched.resume()
    log.info("chipwatch daemon started (PID %d); crawl %r, digest %r %s", os.getpid(), config.crawl.schedule,
             config.digest.schedule, config.digest.timezone)
    for job_id, when in next_runs(config):
        log.info("next run of %s: %s", job_id, when.astimezone(sched.timezone).isoformat() if when else "-")
    while not stop.wait(1.0):
        pass
    with _children_lock:
        crawl_child = _children.get("crawl")
    if crawl_child is not None and crawl_child.poll() is None:
        crawl_child.send_signal(signal.SIGTERM)   # Scrapy stops gracefully; what is stored stays stored
    sched.shutdown(wait=True)
    log.info("chipwatch daemon stopped")
    return 0


def next_runs(config: Config) -> list[tuple[str, datetime | None]]:
    """(job id, next run) read from the job store table without starting a scheduler."""
    import sqlalchemy as sa
    from datetime import timezone

    engine = sa.create_engine(config.storage.url)
    try:
        insp = sa.inspect(engine)
        if not insp.has_table(JOBS_TABLE):
            return []
        with engine.connect() as conn:
            rows = conn.execute(sa.text(f"SELECT id, next_run_time FROM {JOBS_TABLE} ORDER BY id")).all()
    finally:
        engine.dispose()
    return [(r[0], datetime.fromtimestamp(r[1], timezone.utc) if r[1] is not None else None) for r in rows]
