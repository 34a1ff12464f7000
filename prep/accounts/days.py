"""A user's day: their time zone, starting at their rollover hour (like Anki's "next day starts at")."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def day_start(now: datetime, *, timezone: str, rollover_hour: int) -> datetime:
    """When the user's current day began: local midnight shifted to the rollover hour."""
    local = now.astimezone(ZoneInfo(timezone))
    start = local.replace(hour=rollover_hour, minute=0, second=0, microsecond=0)
    if local < start:
        start -= timedelta(days=1)
    return start


def local_day(now: datetime, *, timezone: str, rollover_hour: int) -> date:
    """The date the user thinks of as "today"."""
    return day_start(now, timezone=timezone, rollover_hour=rollover_hour).date()
