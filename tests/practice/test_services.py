import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from prep.practice.models import Card, Review
from prep.practice.scheduling import CardState, replay
from prep.practice.services import card_introduce, practice_extend_new, review_submit
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def card(user):
    return card_introduce(user=user, question=QuestionFactory(), now=NOW)


def grade(user, card, rating=3, now=NOW, key=None, **kwargs):
    return review_submit(
        user=user, card_id=card.pk, rating=rating, idempotency_key=key or uuid.uuid4(), now=now, **kwargs
    )


def test_grade_appends_a_review_and_reschedules_the_card(user, card):
    review = grade(user, card, rating=3, answer="Check freshness", rubric_hits=[3, 1, 1])
    card.refresh_from_db()
    assert (review.rating, review.was_new, review.rubric_hits, review.question_version) == (
        3,
        True,
        [1, 3],
        1,
    )
    assert review.desired_retention == 0.9 and review.answer == "Check freshness"
    assert card.reps == 1 and card.last_review == NOW and card.due > NOW and card.stability > 0


def test_the_same_idempotency_key_twice_creates_one_review(user, card):
    key = uuid.uuid4()
    first = grade(user, card, key=key)
    card.refresh_from_db()
    due_after_first = card.due
    second = grade(user, card, key=key, rating=1, now=NOW + timedelta(minutes=5))
    card.refresh_from_db()
    assert second.pk == first.pk and Review.objects.count() == 1
    assert card.due == due_after_first and card.reps == 1


def test_another_users_card_is_not_found(card):
    with pytest.raises(Card.DoesNotExist):
        grade(UserFactory(), card)
    assert not Review.objects.exists()


@pytest.mark.parametrize("rating", [0, 5, -1])
def test_a_forged_rating_is_refused_and_changes_nothing(user, card, rating):
    with pytest.raises(ValidationError):
        grade(user, card, rating=rating)
    card.refresh_from_db()
    assert card.reps == 0 and not Review.objects.exists()


def test_replaying_the_review_log_reproduces_the_card_exactly(user, card):
    """Many grades with changing retention; the stored Card must equal the replay."""
    now = NOW
    ratings = [3, 3, 1, 3, 2, 4, 3, 1, 1, 3, 3, 4, 2, 3, 3]
    for i, rating in enumerate(ratings):
        user.profile.desired_retention = 0.85 if i % 4 else 0.93
        user.profile.save()
        grade(user, card, rating=rating, now=now)
        card.refresh_from_db()
        now = max(card.due, now + timedelta(minutes=1)) + timedelta(hours=i)
    reviews = list(card.reviews.order_by("reviewed_at"))
    assert len(reviews) == len(ratings)
    rebuilt = replay(reviews, card_id=card.pk, created=NOW)
    assert rebuilt == CardState.of(card)
    assert card.lapses == 2


def test_learn_more_raises_todays_new_limit_only(user):
    practice_extend_new(user=user, count=5, now=NOW)
    practice_extend_new(user=user, count=5, now=NOW)
    user.profile.refresh_from_db()
    assert user.profile.extra_new_count == 10
    practice_extend_new(user=user, count=5, now=NOW + timedelta(days=1))
    user.profile.refresh_from_db()
    assert user.profile.extra_new_count == 5


def _grade_at_once(monkeypatch, user, card, keys) -> list:
    """Grade `card` from one thread per key at the same moment, each holding its transaction open
    a while after reading the card, so an unlocked read-modify-write would lose an update."""
    import threading
    import time

    from django.db import connection

    from prep.practice import services

    real_schedule = services.schedule

    def slow_schedule(*args, **kwargs):
        time.sleep(0.3)
        return real_schedule(*args, **kwargs)

    monkeypatch.setattr(services, "schedule", slow_schedule)
    start, results = threading.Barrier(len(keys)), []

    def grade_in_thread(key):
        try:
            start.wait()
            results.append(review_submit(user=user, card_id=card.pk, rating=3, idempotency_key=key, now=NOW))
        finally:
            connection.close()

    threads = [threading.Thread(target=grade_in_thread, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_two_grades_of_one_card_at_once_are_both_applied(monkeypatch, user, card):
    _grade_at_once(monkeypatch, user, card, [uuid.uuid4(), uuid.uuid4()])
    card.refresh_from_db()
    assert Review.objects.filter(card=card).count() == 2
    assert card.reps == 2  # the second grade read the card the first one wrote


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_at_once_records_one_grade(monkeypatch, user, card):
    key = uuid.uuid4()
    first, second = _grade_at_once(monkeypatch, user, card, [key, key])
    card.refresh_from_db()
    assert Review.objects.filter(card=card).count() == 1 and card.reps == 1
    assert first.pk == second.pk
