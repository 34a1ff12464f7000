"""Celery tasks for accounts: thin, and safe to run twice."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def sessions_clear() -> int:
    """Nightly: delete expired sessions (what `manage.py clearsessions` does), so the session
    table stays the size of the active user base."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
