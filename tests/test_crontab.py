"""Crontab strings keep crontab's meaning (day-of-week 0 = Sunday), unlike APScheduler's from_crontab."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger

from crawler.crontab import parse_crontab

SEOUL = ZoneInfo("Asia/Seoul")


def next_fire(expr: str, after: datetime) -> datetime:
    return CronTrigger(**parse_crontab(expr), timezone=SEOUL).get_next_fire_time(None, after)


@pytest.mark.parametrize("expr, weekday", [
    ("0 8 * * 0", 6), ("0 8 * * 7", 6), ("0 8 * * sun", 6), ("0 8 * * 1", 0), ("0 8 * * mon", 0),
    ("0 8 * * 6", 5), ("0 8 * * sat", 5),
])
def test_day_of_week_numbers_follow_crontab(expr, weekday):
    fire = next_fire(expr, datetime(2026, 11, 24, 9, 0, tzinfo=SEOUL))   # a Tuesday
    assert fire.weekday() == weekday and fire.hour == 8


def test_ranges_lists_and_steps():
    assert parse_crontab("0 8 * * 1-5")["day_of_week"] == "mon,tue,wed,thu,fri"
    assert parse_crontab("0 8 * * 0,6")["day_of_week"] == "sat,sun"
    assert parse_crontab("0 8 * * */2")["day_of_week"] == "tue,thu,sat,sun"   # 0,2,4,6 in crontab
    assert parse_crontab("0 */6 * * *") == {"minute": "0", "hour": "*/6", "day": "*", "month": "*",
                                           "day_of_week": "*"}


@pytest.mark.parametrize("expr", ["0 8 * *", "61 8 * * mon", "0 25 * * *", "0 8 * * 8", "0 8 * * xyz"])
def test_invalid_expressions_raise(expr):
    with pytest.raises(ValueError):
        parse_crontab(expr)
