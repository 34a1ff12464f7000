"""Enqueueing Celery work so that Redis being down never fails or loses a user's request.

The work itself is always a database row first (a Digest, a FitRequest); the message only says
"go". If publishing fails, the row stays pending and the sweep (tasks.jobs_sweep) re-sends it.
"""

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def enqueue(task, *args) -> bool:
    """Publish now, without retries (a down broker must not stall the caller). True if sent."""
    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # kombu/redis raise assorted connection errors; the sweep catches up
        log.warning("could not enqueue %s%r; the sweep will retry", task.name, args, exc_info=True)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    """Publish after the surrounding transaction commits (the row exists before the message)."""
    transaction.on_commit(lambda: enqueue(task, *args))
