"""Activity date windows of the 2021 program and the file dates in them.

The windows are those of seed/PAT-2021-CEPCI-INM.txt (inclusive).  The agent
dates a file by its mtime, read in the agent's timezone (the machine's when
`agent.timezone` is empty).  Every mtime set here is between 18:00 and 21:59
UTC, that is 12:00-16:59 in Mexico City (UTC-6, UTC-5 under 2021 DST): the
calendar day is the same in UTC and in America/Mexico_City, so the expected
date does not depend on which of the two the machine uses.
"""
from __future__ import annotations

import datetime as _dt
import os
import random
from pathlib import Path

WINDOWS: dict[str, tuple[_dt.date, _dt.date]] = {
    "1.1.1": (_dt.date(2021, 2, 1), _dt.date(2021, 12, 3)),
    "1.1.2": (_dt.date(2021, 2, 1), _dt.date(2021, 12, 3)),
    "2.1.1": (_dt.date(2021, 1, 18), _dt.date(2021, 12, 3)),
    "2.1.2": (_dt.date(2021, 1, 18), _dt.date(2021, 12, 3)),
    "2.1.3": (_dt.date(2021, 1, 18), _dt.date(2021, 12, 3)),
    "1.2.1": (_dt.date(2021, 2, 1), _dt.date(2021, 12, 3)),
    "4.1.2": (_dt.date(2021, 2, 1), _dt.date(2021, 10, 1)),
    "5.2.1": (_dt.date(2021, 4, 12), _dt.date(2021, 10, 29)),
}

# Files that prove no activity still carry a date of the program year.
YEAR_2021 = (_dt.date(2021, 1, 4), _dt.date(2021, 12, 17))

_MONTHS_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
              "septiembre", "octubre", "noviembre", "diciembre")


def window(activity: str) -> tuple[_dt.date, _dt.date]:
    try:
        return WINDOWS[activity]
    except KeyError:
        raise KeyError(f"activity {activity!r} has no date window in demogen.dates.WINDOWS") from None


def pick_date(rng: random.Random, span: tuple[_dt.date, _dt.date], weekdays_only: bool = True) -> _dt.date:
    """A day strictly inside `span` (never on its edges), a weekday by default."""
    first, last = span
    days = (last - first).days
    if days < 2:
        raise ValueError(f"window {first}..{last} has no day strictly inside it")
    while True:
        day = first + _dt.timedelta(days=rng.randrange(1, days))
        if not weekdays_only or day.weekday() < 5:
            return day


def mtime_for(rng: random.Random, day: _dt.date) -> _dt.datetime:
    """An instant on `day` that is the same calendar day in UTC and Mexico City."""
    return _dt.datetime(day.year, day.month, day.day, 18 + rng.randrange(4), rng.randrange(60),
                        rng.randrange(60), tzinfo=_dt.timezone.utc)


def set_mtime(path: Path, when: _dt.datetime) -> None:
    stamp = when.timestamp()
    os.utime(path, (stamp, stamp), follow_symlinks=False)


# Mexico City kept daylight saving time until 2022: in 2021 from the first
# Sunday of April to the last Sunday of October, both at 02:00 local time.
_DST_2021 = (_dt.datetime(2021, 4, 4, 8, tzinfo=_dt.timezone.utc),     # 02:00 CST = 08:00 UTC
             _dt.datetime(2021, 10, 31, 7, tzinfo=_dt.timezone.utc))   # 02:00 CDT = 07:00 UTC


def mexico_city_offset(when: _dt.datetime) -> _dt.timezone:
    """Mexico City's UTC offset at `when` (2021 only): -05:00 under DST, else -06:00.

    Written out rather than read from the tz database so that mail Date headers
    do not depend on the machine's tzdata."""
    if when.year != 2021:
        raise ValueError(f"{when}: the demo's time zone rule covers 2021 only")
    utc = when.astimezone(_dt.timezone.utc)
    return _dt.timezone(_dt.timedelta(hours=-5 if _DST_2021[0] <= utc < _DST_2021[1] else -6))


def in_mexico_city(when: _dt.datetime) -> _dt.datetime:
    return when.astimezone(mexico_city_offset(when))


def spanish_long_date(day: _dt.date) -> str:
    """'14 de mayo de 2021', as written on Mexican certificates."""
    return f"{day.day} de {_MONTHS_ES[day.month - 1]} de {day.year}"
