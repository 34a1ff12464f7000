"""Scheduling on simulated calendars (time travel): limits, rollover, time zones, the interview
date, pauses and load balancing."""

import re
import uuid
from collections import Counter
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import fsrs
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from prep.practice.models import Card, Review, ScheduleShift
from prep.practice.scheduling import CardState, fuzz_range, interview_cap, replay
from prep.practice.services import card_introduce, practice_pause, practice_resume, review_submit
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")


def local(day: date, hour: int, minute: int = 0, tz=TOKYO) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def practise_until_done(client, user, limit: int = 200) -> list[str]:
    """Answer every card the session offers (rating Good); returns the titles seen."""
    client.force_login(user)  # time travel outlasts a session
    seen = []
    response = client.get(reverse("practice:session"))
    for _ in range(limit):
        if response.context["stage"] != "answer":
            return seen
        card = response.context["card"]
        seen.append(card.question.title)
        key = re.search(r'name="idempotency_key" value="([0-9a-f-]+)"', response.content.decode()).group(1)
        response = client.post(
            reverse("practice:grade", args=[card.pk]), {"idempotency_key": key, "rating": "3"}
        )
        assert response.status_code == 200
    raise AssertionError("the session never ran out of cards")


def test_daily_new_limit_counts_in_the_candidates_own_day(client):
    user = UserFactory(with_profile__timezone="Asia/Tokyo", with_profile__new_per_day=2)
    client.force_login(user)
    for _ in range(5):
        QuestionFactory()
    day = date(2026, 12, 1)
    with time_machine.travel(local(day, 22)):
        assert len(set(practise_until_done(client, user))) == 2  # two new, then only their learning steps
    with time_machine.travel(local(day + timedelta(days=1), 3, 50)):  # before the 4 am rollover
        assert client.get(reverse("practice:session")).context["counts"].new_left == 0
    with time_machine.travel(local(day + timedelta(days=1), 4, 10)):  # a new day in Tokyo
        assert client.get(reverse("practice:session")).context["counts"].new_left == 2


def test_review_limit_leaves_the_rest_for_tomorrow(client):
    user = UserFactory(with_profile__reviews_per_day=3, with_profile__new_per_day=0)
    client.force_login(user)
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    for _ in range(5):
        card = card_introduce(user=user, question=QuestionFactory(), now=now - timedelta(days=10))
        Card.objects.filter(pk=card.pk).update(
            reps=2, state=2, stability=5.0, difficulty=5.0, due=now - timedelta(hours=1),
            last_review=now - timedelta(days=6),
        )  # fmt: skip
    with time_machine.travel(now):
        assert len(practise_until_done(client, user)) == 3
        page = client.get(reverse("practice:session")).content.decode()
        assert "2 more wait beyond today" in page
    with time_machine.travel(now + timedelta(days=1)):
        assert len(practise_until_done(client, user)) == 2


def test_interview_date_paces_new_questions_and_caps_every_review(client):
    start = date(2026, 12, 1)
    interview = start + timedelta(days=10)
    user = UserFactory(
        with_profile__timezone="Asia/Tokyo",
        with_profile__new_per_day=1,
        with_profile__interview_date=interview,
    )
    client.force_login(user)
    questions = [QuestionFactory() for _ in range(25)]
    with time_machine.travel(local(start, 9)):
        page = client.get(reverse("practice:session")).content.decode()
        assert "≈ 3 new/day to finish by 11 Dec" in page  # 25 questions over 10 days

    for offset in range(10):  # practise every morning and evening until the day before
        for hour in (9, 21):
            with time_machine.travel(local(start + timedelta(days=offset), hour)):
                practise_until_done(client, user)
    assert Card.objects.filter(user=user, reps__gt=0).count() == len(questions)  # all seen in time

    reviews = Review.objects.filter(user=user).order_by("reviewed_at")
    for review in reviews:
        cap = interview_cap(
            interview_date=interview, timezone="Asia/Tokyo", rollover_hour=4, now=review.reviewed_at
        )
        assert review.scheduled_due <= cap, review  # nothing learnt skips past the interview
    # Every card comes back on the day before the interview at the latest.
    assert not Card.objects.filter(user=user, due__gt=local(interview, 4)).exists()

    with time_machine.travel(local(interview + timedelta(days=1), 9)):  # after the interview
        practise_until_done(client, user)
        last = Review.objects.filter(user=user).latest("reviewed_at")
        assert last.scheduled_due - last.reviewed_at > timedelta(days=1)  # normal spacing again


def test_pause_shifts_reviews_shows_nothing_and_loses_nothing(client):
    user = UserFactory(with_profile__new_per_day=0)
    client.force_login(user)
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    card = card_introduce(user=user, question=QuestionFactory(), now=now - timedelta(days=5))
    for i, rating in enumerate((3, 3)):
        review_submit(user=user, card_id=card.pk, rating=rating, idempotency_key=uuid.uuid4(),
                      now=now - timedelta(days=4 - i))  # fmt: skip
    card.refresh_from_db()
    due_before = card.due

    with time_machine.travel(now):
        practice_pause(user=user, days=7)
        card.refresh_from_db()
        assert card.due == due_before + timedelta(days=7)
        assert client.get(reverse("practice:session")).context["stage"] == "paused"
    with time_machine.travel(card.due + timedelta(minutes=1)):
        client.force_login(user)  # the travel outlasts the session
        assert client.get(reverse("practice:session")).context["card"] == card  # back, nothing lost

    rebuilt = replay(
        card.reviews.order_by("reviewed_at"), card_id=card.pk, created=card.created_at,
        shifts=ScheduleShift.objects.filter(user=user),
    )  # fmt: skip
    assert rebuilt == CardState.of(card)


def test_resuming_early_gives_back_the_unused_days():
    user = UserFactory()
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    card = card_introduce(user=user, question=QuestionFactory(), now=now)
    review_submit(user=user, card_id=card.pk, rating=4, idempotency_key=uuid.uuid4(), now=now)
    card.refresh_from_db()
    due = card.due
    practice_pause(user=user, days=10, now=now)
    practice_resume(user=user, now=now + timedelta(days=3))
    card.refresh_from_db()
    assert card.due == due + timedelta(days=3)
    user.profile.refresh_from_db()
    assert user.profile.paused_until is None


def test_load_balancing_moves_reviews_off_crowded_days():
    user = UserFactory()
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    state = CardState(
        state=2, stability=12.0, difficulty=5.0, due=now, last_review=now - timedelta(days=12), reps=3
    )
    fsrs_card = fsrs.Card(state=fsrs.State.Review, stability=12.0, difficulty=5.0, due=now,
                          last_review=state.last_review)  # fmt: skip
    plain, _ = fsrs.Scheduler(enable_fuzzing=False).review_card(fsrs_card, fsrs.Rating.Good, now)
    low, high = fuzz_range((plain.due - now).days)
    assert high - low >= 2
    for offset in range(low, high):  # every day of the range but the last is already busy
        Card.objects.bulk_create(
            Card(user=user, question=QuestionFactory(), reps=1, state=2, stability=30.0, difficulty=5.0,
                 due=now + timedelta(days=offset, hours=2), last_review=now)
            for _ in range(8)
        )  # fmt: skip
    for _ in range(12):
        card = card_introduce(user=user, question=QuestionFactory(), now=now - timedelta(days=30))
        Card.objects.filter(pk=card.pk).update(**asdict(state))
        review = review_submit(user=user, card_id=card.pk, rating=3, idempotency_key=uuid.uuid4(), now=now)
        assert low <= (review.scheduled_due - now).days <= high
    loads = Counter(
        (due - now).days
        for due in Card.objects.filter(user=user, due__gte=now + timedelta(days=low)).values_list(
            "due", flat=True
        )
    )
    # Without balancing the empty day would get about 12 / 9 of them; balanced, it fills up
    # towards the others and no day gets far ahead.
    assert loads[high] >= 5, loads
    assert max(loads.values()) <= 10, loads


def test_a_finished_pause_allows_a_new_one():
    user = UserFactory()
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    practice_pause(user=user, days=3, now=now)
    with pytest.raises(ValidationError):
        practice_pause(user=user, days=3, now=now + timedelta(days=1))  # still paused
    profile = practice_pause(user=user, days=5, now=now + timedelta(days=4))  # the first one is over
    assert profile.paused_until == date(2026, 12, 10)
