"""Dependency checks for /healthz: the database, Redis, and at least one Celery worker."""

import redis
from django.conf import settings
from django.db import connection

from prep.celery import app as celery_app

TIMEOUT_SECONDS = 1.0


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # any failure means "down"; the message says why
        return f"down: {exc.__class__.__name__}"


def redis_state() -> str:
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
        )
        client.ping()
        return "ok"
    except redis.RedisError as exc:
        return f"down: {exc.__class__.__name__}"


def celery_state() -> str:
    try:
        replies = celery_app.control.ping(timeout=TIMEOUT_SECONDS)
    except Exception as exc:  # broker unreachable surfaces as assorted kombu/OSError types
        return f"down: {exc.__class__.__name__}"
    if not replies:
        return "down: no worker answered"
    return f"ok: {len(replies)} worker(s)"


def health() -> dict[str, str]:
    checks = {"database": database_state(), "redis": redis_state()}
    # Without Redis no worker can be reached; don't wait for the ping to time out as well.
    checks["celery"] = celery_state() if checks["redis"] == "ok" else "down: no broker"
    return checks
