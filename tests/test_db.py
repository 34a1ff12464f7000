"""prep/db.py: rows read and written with plain SQL are the rows the ORM reads and writes."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from prep import db
from prep.practice.models import Card, Review
from prep.practice.selectors import card_for_user
from tests.factories import QuestionFactory, UserFactory, field_values

pytestmark = pytest.mark.django_db


def test_a_card_read_with_sql_equals_the_orm_card():
    user = UserFactory()
    now = timezone.now()
    card = Card.objects.create(
        user=user, question=QuestionFactory(), state=2, step=None, stability=3.25, difficulty=5.5,
        due=now + timedelta(days=3), last_review=now, reps=4, lapses=1,
    )  # fmt: skip
    loaded = card_for_user(user=user, card_id=card.pk)
    assert field_values(loaded) == field_values(Card.objects.get(pk=card.pk))
    assert loaded.due.tzinfo is not None and loaded.due == now + timedelta(days=3)
    assert loaded.question.title == card.question.title and not loaded._state.adding


def test_another_users_card_is_not_found():
    card = Card.objects.create(user=UserFactory(), question=QuestionFactory(), due=timezone.now())
    with pytest.raises(Card.DoesNotExist):
        card_for_user(user=UserFactory(), card_id=card.pk)


def test_insert_stores_what_the_orm_reads_back():
    user = UserFactory()
    card = Card.objects.create(user=user, question=QuestionFactory(), due=timezone.now())
    key = uuid.uuid4()
    review = Review(
        user=user, card=card, rating=3, answer="an <b>answer</b>", rubric_hits=[1, 3], choices_picked=[],
        question_version=2, reviewed_at=timezone.now(), idempotency_key=key, was_new=True,
        desired_retention=0.9, scheduled_due=timezone.now() + timedelta(days=2),
    )  # fmt: skip
    db.insert(review)
    stored = Review.objects.get(idempotency_key=key)
    assert review.pk == stored.pk and field_values(review) == field_values(stored)
    assert stored.rubric_hits == [1, 3] and stored.was_new is True
