"""Writes for the practice loop."""

import uuid
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from prep import db
from prep.accounts.models import Profile
from prep.accounts.selectors import profile_for
from prep.practice.fitting import reviews_needed_for_fit
from prep.practice.jobs import enqueue_on_commit
from prep.practice.models import Card, FitRequest, Review, ScheduleShift
from prep.practice.scheduling import CardState, interview_cap, schedule
from prep.practice.selectors import card_for_user
from prep.practice.tasks import parameters_fit
from questions.models import Question

MAX_PAUSE_DAYS = 60


def card_introduce(*, user, question: Question, now: datetime | None = None) -> Card:
    """The user's card for a question they are about to see for the first time (idempotent)."""
    card, _created = Card.objects.get_or_create(
        user=user, question=question, defaults={"due": now or timezone.now()}
    )
    card.question = question  # keep the loaded content for rendering
    return card


def _day_loads(*, user, now: datetime, low: int, high: int) -> dict[int, int]:
    """How many of the user's cards fall due on each day offset from `low` to `high` (one small
    aggregate grouped by day, whatever the size of the deck)."""
    rows = db.fetch_all(
        f"SELECT {db.utc_date('due')} AS day, COUNT(*) FROM practice_card"
        " WHERE user_id = %s AND reps > 0 AND due >= %s AND due < %s GROUP BY day",
        [user.pk, db.to_db(now + timedelta(days=low)), db.to_db(now + timedelta(days=high + 1))],
    )
    today = now.astimezone(UTC).date()
    return {(db.as_date(day) - today).days: n for day, n in rows}


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
    now = now or timezone.now()
    profile = profile_for(user)
    try:
        with transaction.atomic():
            card = card_for_user(user=user, card_id=card_id, lock=True)
            new_state = schedule(
                CardState.of(card),
                card_id=card.pk,
                rating=rating,
                now=now,
                desired_retention=profile.desired_retention,
                parameters=tuple(profile.fsrs_parameters) if profile.fsrs_parameters else None,
                day_loads=lambda low, high: _day_loads(user=user, now=now, low=low, high=high),
                due_cap=interview_cap(
                    interview_date=profile.interview_date,
                    timezone=profile.timezone,
                    rollover_hour=profile.day_rollover_hour,
                    now=now,
                ),
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
                parameters_version=profile.parameters_version,
                scheduled_due=new_state.due,
            )
            # The first write: the unique (user, idempotency_key) is the duplicate check, so a
            # retry or a concurrent twin fails here and the card is left alone.
            db.insert(review)
            _card_update(card, new_state)
            _profile_after_review(profile, now=now)
    except IntegrityError:
        return Review.objects.get(user=user, idempotency_key=idempotency_key)
    return review


def _card_update(card: Card, new_state: CardState) -> None:
    fields = asdict(new_state)
    db.execute(
        f"UPDATE practice_card SET {', '.join(f'{name} = %s' for name in fields)} WHERE id = %s",
        [db.to_db(value) if isinstance(value, datetime) else value for value in fields.values()] + [card.pk],
    )
    for name, value in fields.items():
        setattr(card, name, value)


def _profile_after_review(profile: Profile, *, now: datetime) -> None:
    """Streak and the refit counter, in one UPDATE; ask for a fit when enough reviews piled up."""
    today = profile.local_day(now)
    if profile.last_practice_day != today:
        yesterday = today - timedelta(days=1)
        profile.streak_days = profile.streak_days + 1 if profile.last_practice_day == yesterday else 1
        profile.last_practice_day = today
    db.execute(
        "UPDATE accounts_profile SET reviews_since_fit = reviews_since_fit + 1,"
        " streak_days = %s, last_practice_day = %s WHERE id = %s",
        [profile.streak_days, profile.last_practice_day, profile.pk],
    )
    profile.reviews_since_fit += 1
    if profile.reviews_since_fit == reviews_needed_for_fit(profile.parameters_version):
        fit_request_create(user=profile.user)


def fit_request_create(*, user) -> FitRequest | None:
    """Ask for a parameter fit (at most one open request per user); the task runs after commit."""
    try:
        with transaction.atomic():
            request = FitRequest.objects.create(user=user)
    except IntegrityError:
        return None  # one is already open
    enqueue_on_commit(parameters_fit, request.pk)
    return request


@transaction.atomic
def practice_extend_new(*, user, count: int, now: datetime | None = None) -> None:
    """Raise today's new-question limit by `count` (for "learn more" on the empty state)."""
    profile = profile_for(user)
    today = profile.local_day(now or timezone.now())
    if profile.extra_new_day != today:
        profile.extra_new_day, profile.extra_new_count = today, 0
    profile.extra_new_count = min(profile.extra_new_count + count, 200)
    profile.save(update_fields=["extra_new_day", "extra_new_count"])


def _shift(*, user, days: int, now: datetime) -> None:
    ScheduleShift.objects.create(user=user, days=days, created_at=now)
    Card.objects.filter(user=user, reps__gt=0).update(due=F("due") + timedelta(days=days))


@transaction.atomic
def practice_pause(*, user, days: int, now: datetime | None = None) -> Profile:
    """Pause for `days` days: every practised card's due date moves on by the same amount, so
    nothing is lost and the spacing between reviews is kept. No reminders while paused."""
    if not 1 <= days <= MAX_PAUSE_DAYS:
        raise ValidationError({"days": f"Pause for 1 to {MAX_PAUSE_DAYS} days."})
    now = now or timezone.now()
    profile = Profile.objects.select_for_update().get(user=user)
    if profile.is_paused(now):
        raise ValidationError({"days": "You are already paused; resume first."})
    _shift(user=user, days=days, now=now)
    profile.paused_until = profile.local_day(now) + timedelta(days=days)
    profile.save(update_fields=["paused_until"])
    user.profile = profile
    return profile


@transaction.atomic
def practice_resume(*, user, now: datetime | None = None) -> Profile:
    """End a pause early: the days not taken are shifted back."""
    now = now or timezone.now()
    profile = Profile.objects.select_for_update().get(user=user)
    if profile.paused_until:
        unused = (profile.paused_until - profile.local_day(now)).days
        if unused > 0:
            _shift(user=user, days=-unused, now=now)
        profile.paused_until = None
        profile.save(update_fields=["paused_until"])
    user.profile = profile
    return profile
