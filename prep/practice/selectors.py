"""Reads for the practice loop. Every function runs a fixed number of queries."""

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, Min, OuterRef, Q

from prep.practice.models import Card, Review
from questions.models import Question
from questions.selectors import question_with_content

# Like Anki's "learn ahead" limit: a learning step due within this window is shown rather than
# making the candidate wait in front of an empty page.
LEARN_AHEAD = timedelta(minutes=20)


@dataclass(frozen=True)
class TodayCounts:
    new_done: int
    reviews_done: int
    new_limit: int
    reviews_limit: int
    paused: bool = False
    # With an interview ahead: new questions a day needed to see the whole track in time.
    pace: int | None = None

    @property
    def new_left(self) -> int:
        return max(self.new_limit - self.new_done, 0)

    @property
    def reviews_left(self) -> int:
        return max(self.reviews_limit - self.reviews_done, 0)


def today_counts(*, profile, now: datetime) -> TodayCounts:
    """Today's progress against the limits, in the candidate's own day (timezone + rollover)."""
    start = profile.day_start(now)
    today = start.date()
    done = Review.objects.filter(user_id=profile.user_id, reviewed_at__gte=start).aggregate(
        new=Count("id", filter=Q(was_new=True)),
        reviews=Count("id", filter=Q(was_new=False)),
    )
    new_limit = profile.new_per_day
    pace = None
    if profile.interview_date and profile.interview_date > today:
        days_left = (profile.interview_date - today).days
        pace = math.ceil((new_available(profile=profile) + done["new"]) / days_left)
        new_limit = max(new_limit, pace)
    extra = profile.extra_new_count if profile.extra_new_day == today else 0
    return TodayCounts(
        new_done=done["new"],
        reviews_done=done["reviews"],
        new_limit=new_limit + extra,
        reviews_limit=profile.reviews_per_day,
        paused=profile.is_paused(now),
        pace=pace,
    )


def _cards_in_tracks(profile):
    return Card.objects.filter(
        user_id=profile.user_id,
        question__status=Question.Status.PUBLISHED,
        question__track__slug__in=profile.track_slugs,
    )


def _first_with_content(cards) -> Card | None:
    card = cards.select_related("question")[:1]
    if not card:
        return None
    card = card[0]
    card.question = question_with_content(card.question)
    return card


def due_count(*, profile, now: datetime, limit: int | None = None) -> int:
    """Cards due now; with `limit`, counting stops there (the practice bar never shows more
    than today's remaining reviews, so a large backlog costs nothing extra)."""
    due = _cards_in_tracks(profile).filter(reps__gt=0, due__lte=now)
    return due[:limit].count() if limit is not None else due.count()


def next_card(*, profile, now: datetime, counts: TodayCounts) -> Card | Question | None:
    """The next thing to practise: a due Card, or a new Question (no Card yet), or None.

    Order: due reviews (oldest due first) within today's review limit; then new questions
    within today's new limit (a card introduced but not yet answered first); then a learning
    step due within LEARN_AHEAD.
    """
    if counts.paused:
        return None
    cards = _cards_in_tracks(profile)
    if counts.reviews_left and (
        due := _first_with_content(cards.filter(reps__gt=0, due__lte=now).order_by("due", "id"))
    ):
        return due
    if counts.new_left:
        if started := _first_with_content(cards.filter(reps=0).order_by("created_at", "id")):
            return started
        fresh = (
            Question.objects.published()
            .for_tracks(profile.track_slugs)
            .filter(~Exists(Card.objects.filter(user_id=profile.user_id, question=OuterRef("pk"))))
            .order_by("difficulty", "id")[:1]
        )
        if fresh:
            return question_with_content(fresh[0])
    learning = cards.filter(reps__gt=0, due__lte=now + LEARN_AHEAD, state__in=[1, 3])
    return _first_with_content(learning.order_by("due", "id"))


def next_due_at(*, profile) -> datetime | None:
    """When the earliest practised card comes due (for the "all done" page)."""
    return _cards_in_tracks(profile).filter(reps__gt=0).aggregate(at=Min("due"))["at"]


def new_available(*, profile) -> int:
    """How many published questions in the candidate's tracks they have never seen."""
    return (
        Question.objects.published()
        .for_tracks(profile.track_slugs)
        .filter(~Exists(Card.objects.filter(user_id=profile.user_id, question=OuterRef("pk"))))
        .count()
    )


def card_for_user(*, user, card_id: int) -> Card:
    """A card of this user with its question content; another user's card raises DoesNotExist."""
    card = Card.objects.select_related("question").get(user=user, pk=card_id)
    card.question = question_with_content(card.question)
    return card


def display_choices(card: Card) -> list:
    """The question's choices in an order fixed per card.

    Authors tend to write the right answer first; a per-card shuffle (seeded by the card, so it
    stays put between answering and revealing) keeps the position from giving it away.
    """
    choices = list(card.question.choices.all())
    random.Random(card.pk).shuffle(choices)
    return choices
