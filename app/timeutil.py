"""Local days and weeks: people mean Copenhagen calendar days, the database keeps UTC."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.models import utcnow

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")


def local_now() -> datetime:
    return utcnow().astimezone(LOCAL_TZ)


def local_today() -> date:
    return local_now().date()


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)
