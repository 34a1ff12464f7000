"""Celery tasks: ids in, a service call, nothing else. All are safe to run twice."""

from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from prep.practice import digests, fitting
from prep.practice.jobs import enqueue
from prep.practice.models import FitRequest

SEND_BATCH = 50
SWEEP_AFTER = timedelta(minutes=10)
FIT_SWEEP_AFTER = timedelta(minutes=30)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def digests_dispatch() -> int:
    """Hourly: create today's digest rows where the local reminder hour has come; fan out sends."""
    pending = digests.digests_create(now=timezone.now())
    for start in range(0, len(pending), SEND_BATCH):
        enqueue(digests_send, pending[start : start + SEND_BATCH])
    return len(pending)


@shared_task(
    acks_late=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    soft_time_limit=240,
    time_limit=300,
)
def digests_send(digest_ids: list[int]) -> int:
    """Send a batch of digests; already-sent ones are skipped, so a retry resends nothing."""
    return digests.digests_send(digest_ids=digest_ids)


@shared_task(acks_late=True, soft_time_limit=1500, time_limit=1800)
def parameters_fit(fit_request_id: int) -> str:
    """Fit one user's FSRS parameters (a done request is a no-op)."""
    return fitting.parameters_fit(fit_request_id=fit_request_id)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def fits_schedule() -> int:
    """Nightly: open a fit request for every user with enough new reviews, and send them."""
    for request_id in fitting.fit_requests_create():
        enqueue(parameters_fit, request_id)
    return FitRequest.objects.filter(done_at__isnull=True).count()


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def jobs_sweep() -> dict:
    """Every few minutes: re-send work whose message was lost (Redis down, worker killed)."""
    now = timezone.now()
    unsent = digests.digests_unsent(older_than=now - SWEEP_AFTER)
    for start in range(0, len(unsent), SEND_BATCH):
        enqueue(digests_send, unsent[start : start + SEND_BATCH])
    stale_fits = list(
        FitRequest.objects.filter(done_at__isnull=True, created_at__lt=now - FIT_SWEEP_AFTER).values_list(
            "id", flat=True
        )
    )
    for request_id in stale_fits:
        enqueue(parameters_fit, request_id)
    return {"digests": len(unsent), "fits": len(stale_fits)}
