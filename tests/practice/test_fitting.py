import random
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from prep.practice import fitting
from prep.practice.fitting import MIN_TRAINING_ITEMS, fit_requests_create, parameters_fit
from prep.practice.models import FitRequest, ParameterSet, Review, ScheduleShift
from prep.practice.scheduling import CardState, replay
from prep.practice.services import card_introduce, review_submit
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db
START = datetime(2026, 9, 1, 9, tzinfo=UTC)


def practise_history(user, cards: int, reviews_each: int, seed: int = 7) -> list:
    """Each card reviewed `reviews_each` times on the days the scheduler asks for."""
    rng = random.Random(seed)
    made = []
    for _ in range(cards):
        card = card_introduce(user=user, question=QuestionFactory(), now=START)
        now = START
        for _ in range(reviews_each):
            rating = rng.choices([1, 2, 3, 4], weights=[1, 1, 6, 1])[0]
            review_submit(user=user, card_id=card.pk, rating=rating, idempotency_key=uuid.uuid4(), now=now)
            card.refresh_from_db()
            now = max(card.due, now + timedelta(days=1))
        made.append(card)
    return made


def test_fit_stores_a_new_version_and_future_grades_use_it():
    user = UserFactory()
    cards = practise_history(user, cards=40, reviews_each=5)
    request = FitRequest.objects.create(user=user)
    outcome = parameters_fit(fit_request_id=request.pk)
    assert outcome.startswith("fitted version 1 on 200 reviews")
    fitted = ParameterSet.objects.get(user=user, version=1)
    assert len(fitted.parameters) == 21 and fitted.review_count == 200
    assert 0 < fitted.log_loss < 1 and fitted.default_log_loss > 0
    user.profile.refresh_from_db()
    assert user.profile.parameters_version == 1 and user.profile.reviews_since_fit == 0
    assert parameters_fit(fit_request_id=request.pk) == outcome  # a second run changes nothing
    assert ParameterSet.objects.filter(user=user).count() == 1

    card = cards[0]
    card.refresh_from_db()
    review = review_submit(user=user, card_id=card.pk, rating=3, idempotency_key=uuid.uuid4(),
                           now=card.due + timedelta(hours=1))  # fmt: skip
    assert review.parameters_version == 1
    card.refresh_from_db()
    rebuilt = replay(
        card.reviews.order_by("reviewed_at"), card_id=card.pk, created=card.created_at,
        parameters_by_version={1: tuple(fitted.parameters)}, shifts=ScheduleShift.objects.filter(user=user),
    )  # fmt: skip
    assert rebuilt == CardState.of(card)


def test_too_few_reviews_keep_the_defaults():
    user = UserFactory()
    practise_history(user, cards=5, reviews_each=3)
    request = FitRequest.objects.create(user=user)
    assert parameters_fit(fit_request_id=request.pk).startswith("kept defaults")
    assert f"{MIN_TRAINING_ITEMS} needed" in FitRequest.objects.get().outcome
    user.profile.refresh_from_db()
    assert user.profile.parameters_version == 0 and not ParameterSet.objects.exists()


def test_grading_past_the_threshold_opens_one_fit_request(monkeypatch):
    monkeypatch.setattr(fitting, "MIN_REVIEWS_FOR_FIRST_FIT", 4)
    user = UserFactory()
    practise_history(user, cards=2, reviews_each=3)  # 6 reviews: crosses 4 once
    assert FitRequest.objects.filter(user=user, done_at__isnull=True).count() == 1


def test_nightly_job_opens_requests_only_for_users_with_enough_new_reviews():
    ready, waiting, refit = UserFactory(), UserFactory(), UserFactory()
    type(ready.profile).objects.filter(user=ready).update(reviews_since_fit=fitting.MIN_REVIEWS_FOR_FIRST_FIT)
    type(waiting.profile).objects.filter(user=waiting).update(reviews_since_fit=10)
    type(refit.profile).objects.filter(user=refit).update(
        parameters_version=2, reviews_since_fit=fitting.REVIEWS_BETWEEN_FITS
    )
    fit_requests_create()
    fit_requests_create()  # twice: still one open request each
    assert set(FitRequest.objects.values_list("user_id", flat=True)) == {ready.pk, refit.pk}
    assert Review.objects.count() == 0
