"""The Celery app and its beat schedule. Redis carries work; the database is the source of truth."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prep.settings")

app = Celery("prep")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Hourly, so every time zone's reminder hour is met; a digest row per user and local day
    # makes a second run (or two beats by mistake) send nothing twice.
    "digests-dispatch": {"task": "prep.practice.tasks.digests_dispatch", "schedule": crontab(minute=5)},
    "fits-schedule": {"task": "prep.practice.tasks.fits_schedule", "schedule": crontab(hour=3, minute=30)},
    "jobs-sweep": {"task": "prep.practice.tasks.jobs_sweep", "schedule": crontab(minute="*/5")},
    "sessions-clear": {"task": "prep.accounts.tasks.sessions_clear", "schedule": crontab(hour=2, minute=40)},
}
