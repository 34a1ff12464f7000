"""Celery jobs with a real worker process against Redis (CI has both; locally they may skip)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from prep.practice import fitting, tasks
from prep.practice.models import Card, Digest, FitRequest, Review
from prep.practice.services import card_introduce
from tests.conftest import wait_for
from tests.factories import QuestionFactory, UserFactory
from tests.mailfiles import recipients

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def candidates_with_due_reviews(n: int) -> list:
    question = QuestionFactory()
    users = [UserFactory(with_profile__reminder_hour=0) for _ in range(n)]
    Card.objects.bulk_create(
        Card(user=u, question=question, reps=1, state=2, stability=3.0, difficulty=5.0,
             due=timezone.now() - timedelta(hours=1), last_review=timezone.now() - timedelta(days=3))
        for u in users
    )  # fmt: skip
    return users


def all_sent() -> bool:
    return Digest.objects.exists() and not Digest.objects.filter(sent_at__isnull=True).exists()


def test_digest_job_run_twice_sends_one_email_per_user(broker, start_worker, tmp_path):
    users = candidates_with_due_reviews(6)
    mail = tmp_path / "mail"
    start_worker(broker, EMAIL_FILE_PATH=str(mail))
    tasks.digests_dispatch.delay()
    tasks.digests_dispatch.delay()
    wait_for(lambda: Digest.objects.count() == 6 and all_sent(), "six digests sent")
    time_to_settle = timezone.now() + timedelta(seconds=2)
    wait_for(lambda: timezone.now() > time_to_settle, "a moment for any duplicate to land")
    assert recipients(mail) == {u.email: 1 for u in users}


def test_worker_killed_mid_batch_still_ends_with_one_digest_per_user(private_redis, start_worker, tmp_path):
    users = candidates_with_due_reviews(20)
    mail = tmp_path / "mail"
    env = {"EMAIL_FILE_PATH": str(mail), "EMAIL_BACKEND": "tests.slow_email.SlowFileEmailBackend"}
    worker = start_worker(private_redis.url, **env)
    tasks.digests_dispatch.delay()
    wait_for(lambda: Digest.objects.filter(sent_at__isnull=False).count() >= 3, "some digests sent")
    worker.kill()  # SIGKILL: its message stays unacknowledged on the broker
    sent_before_kill = Digest.objects.filter(sent_at__isnull=False).count()
    assert sent_before_kill < 20

    start_worker(private_redis.url, **env)
    with time_machine.travel(timezone.now() + tasks.SWEEP_AFTER + timedelta(minutes=1)):
        assert tasks.jobs_sweep.apply().get()["digests"] == 20 - sent_before_kill
    wait_for(all_sent, "the rest of the digests", timeout=60)
    assert recipients(mail) == {u.email: 1 for u in users}


def test_with_redis_down_grading_works_and_queued_work_runs_when_it_returns(
    private_redis, start_worker, client, monkeypatch
):
    monkeypatch.setattr(fitting, "MIN_REVIEWS_FOR_FIRST_FIT", 3)
    user = UserFactory()
    client.force_login(user)
    cards = [card_introduce(user=user, question=QuestionFactory()) for _ in range(3)]
    private_redis.stop()

    for card in cards:
        response = client.post(
            reverse("practice:grade", args=[card.pk]),
            {"idempotency_key": f"00000000-0000-0000-0000-00000000000{card.pk % 10}", "rating": "3"},
        )
        assert response.status_code == 200
    assert Review.objects.filter(user=user).count() == 3
    request = FitRequest.objects.get(user=user)  # the work is a row, waiting
    assert request.done_at is None

    private_redis.start()
    start_worker(private_redis.url)
    with time_machine.travel(timezone.now() + tasks.FIT_SWEEP_AFTER + timedelta(minutes=1)):
        assert tasks.jobs_sweep.apply().get()["fits"] == 1
    wait_for(lambda: FitRequest.objects.get(pk=request.pk).done_at is not None, "the fit to run")
    assert "kept defaults" in FitRequest.objects.get(pk=request.pk).outcome
