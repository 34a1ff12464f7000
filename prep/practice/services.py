"""Writes for the practice loop."""

import uuid
from dataclasses import asdict
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from prep.accounts.selectors import profile_for
from prep.practice.models import Card, Review
from prep.practice.scheduling import CardState, day_start, schedule
from questions.models import Question


def card_introduce(*, user, question: Question, now: datetime | None = None) -> Card:
    """The user's card for a question they are about to see for the first time (idempotent)."""
    card, _created = Card.objects.get_or_create(
        user=user, question=question, defaults={"due": now or timezone.now()}
    )
    card.question = question  # keep the prefetched content for rendering
    return card


@transaction.atomic
def review_submit(
    *,
    user,
    card_id: int,
    rating: int,
    idempotency_key: uuid.UUID,
    answer: str = "",
    rubric_hits: list[int] = (),
    choices_picked: list[int] = (),
    duration_seconds: int | None = None,
    now: datetime | None = None,
) -> Review:
    """Record a grade and reschedule the card, once per idempotency key.

    A repeated submission (double click, retry) returns the first Review and changes nothing.
    Another user's card raises Card.DoesNotExist; a rating outside 1-4 raises ValidationError.
    """
    if rating not in Review.Rating.values:
        raise ValidationError({"rating": "Choose Again, Hard, Good or Easy."})
    card = Card.objects.select_for_update(of=("self",)).select_related("question").get(pk=card_id, user=user)
    now = now or timezone.now()
    profile = profile_for(user)
    new_state = schedule(
        CardState.of(card),
        card_id=card.pk,
        rating=rating,
        now=now,
        desired_retention=profile.desired_retention,
    )
    review = Review(
        user=user,
        card=card,
        rating=rating,
        answer=answer,
        rubric_hits=sorted(set(rubric_hits)),
        choices_picked=sorted(set(choices_picked)),
        question_version=card.question.version,
        duration_seconds=duration_seconds,
        reviewed_at=now,
        idempotency_key=idempotency_key,
        was_new=card.reps == 0,
        desired_retention=profile.desired_retention,
    )
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        # The unique (user, idempotency_key) is the duplicate check: a retry or a concurrent
        # twin already recorded this grade, so keep that one and leave the card alone.
        return Review.objects.get(user=user, idempotency_key=idempotency_key)
    for field, value in asdict(new_state).items():
        setattr(card, field, value)
    card.save(update_fields=list(asdict(new_state)))
    return review


@transaction.atomic
def practice_extend_new(*, user, count: int, now: datetime | None = None) -> None:
    """Raise today's new-question limit by `count` (for "learn more" on the empty state)."""
    profile = profile_for(user)
    today = day_start(
        now or timezone.now(), timezone=profile.timezone, rollover_hour=profile.day_rollover_hour
    ).date()
    if profile.extra_new_day != today:
        profile.extra_new_day, profile.extra_new_count = today, 0
    profile.extra_new_count = min(profile.extra_new_count + count, 200)
    profile.save(update_fields=["extra_new_day", "extra_new_count"])
