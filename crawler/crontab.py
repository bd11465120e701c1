"""Crontab strings with crontab's own meaning, turned into APScheduler ``CronTrigger`` fields.

APScheduler 3.x's ``CronTrigger.from_crontab`` numbers weekdays from Monday (``0 = mon``) and rejects ``7``;
crontab(5) numbers them from Sunday (``0`` and ``7`` = Sunday).  We expand the day-of-week field ourselves into
explicit weekday names so ``0 8 * * 0`` fires on Sunday as an operator expects.
"""

from __future__ import annotations

_DOW_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _dow_number(token: str) -> int:
    token = token.strip().lower()
    if token in _DOW_NAMES:
        return _DOW_NAMES.index(token)
    if token.isdigit() and 0 <= int(token) <= 7:
        return int(token) % 7
    raise ValueError(f"요일 값이 잘못되었습니다: {token!r} (0-7 또는 sun..sat)")


def _expand_dow(field: str) -> str:
    if field == "*":
        return "*"
    days: set[int] = set()
    for part in field.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            if not step_text.isdigit() or int(step_text) == 0:
                raise ValueError(f"요일 간격이 잘못되었습니다: {step_text!r}")
            step = int(step_text)
        if part == "*":
            start, end = 0, 6
        elif "-" in part:
            a, b = part.split("-", 1)
            start, end = _dow_number(a), _dow_number(b)
            if b.strip() == "7":
                end = 7
            if end < start:
                raise ValueError(f"요일 범위가 잘못되었습니다: {part!r}")
        else:
            start = end = _dow_number(part)
        days.update(d % 7 for d in range(start, end + 1, step))
    # APScheduler expects names; order them Monday-first for readability
    return ",".join(_DOW_NAMES[d] for d in sorted(days, key=lambda d: (d + 6) % 7))


def parse_crontab(expr: str) -> dict[str, str]:
    """``"0 8 * * mon"`` -> keyword arguments for ``apscheduler.triggers.cron.CronTrigger``.

    Raises ValueError with a Korean message when a field is invalid.
    """
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError("crontab은 '분 시 일 월 요일' 다섯 필드여야 합니다")
    minute, hour, day, month, dow = fields
    kwargs = {"minute": minute, "hour": hour, "day": day, "month": month, "day_of_week": _expand_dow(dow)}
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger(**kwargs, timezone="UTC")
    except ValueError as exc:
        raise ValueError(str(exc)) from None
    return kwargs
