"""The Celery app. Redis carries work; the database stays the source of truth."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prep.settings")

app = Celery("prep")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
