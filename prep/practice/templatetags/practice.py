from datetime import datetime

from django import template
from django.utils import timezone

from prep.practice.selectors import display_choices

register = template.Library()


def _plural(count: int, unit: str) -> str:
    return f"in {count} {unit}{'' if count == 1 else 's'}"


@register.filter
def comes_back(due: datetime | None, now: datetime | None = None) -> str:
    """'now', 'in 10 minutes', 'in 5 hours', 'in 3 days', 'in 2 months', 'in 3 years'."""
    if due is None:
        return ""
    seconds = (due - (now or timezone.now())).total_seconds()
    if seconds < 60:
        return "now"
    if seconds < 3570:
        return _plural(round(seconds / 60), "minute")
    if seconds < 23.5 * 3600:
        return _plural(round(seconds / 3600), "hour")
    days = seconds / 86400
    if days < 45:
        return _plural(round(days), "day")
    if days < 365 * 2:
        return _plural(round(days / 30), "month")
    return _plural(round(days / 365), "year")


@register.filter
def shuffled_choices(card) -> list:
    return display_choices(card)
