"""Reads for the practice loop. Every function runs a fixed number of queries."""

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef

from prep import db
from prep.practice.models import Card
from questions.models import Question
from questions.selectors import question_content, question_with_content

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
    new_done, done = db.fetch_one(
        "SELECT COALESCE(SUM(CASE WHEN was_new THEN 1 ELSE 0 END), 0), COUNT(*)"
        " FROM practice_review WHERE user_id = %s AND reviewed_at >= %s",
        [profile.user_id, db.to_db(start)],
    )
    new_limit = profile.new_per_day
    pace = None
    if profile.interview_date and profile.interview_date > today:
        days_left = (profile.interview_date - today).days
        pace = math.ceil((new_available(profile=profile) + new_done) / days_left)
        new_limit = max(new_limit, pace)
    extra = profile.extra_new_count if profile.extra_new_day == today else 0
    return TodayCounts(
        new_done=new_done,
        reviews_done=done - new_done,
        new_limit=new_limit + extra,
        reviews_limit=profile.reviews_per_day,
        paused=profile.is_paused(now),
        pace=pace,
    )


# The practice loop reads cards with plain SQL (prep/db.py says why). A card row is every
# Card column, then its question's version and last save (the key of the content cache).
_CARD_SELECT = f"SELECT {db.columns(Card, 'c')}, q.version, q.updated_at"
_CARD_JOIN = " FROM practice_card c JOIN questions_question q ON q.id = c.question_id"


def _in_tracks(profile) -> tuple[str, list]:
    """FROM ... WHERE for the profile's cards whose question is published in their tracks."""
    slugs = profile.track_slugs
    return (
        f"{_CARD_JOIN} JOIN questions_track t ON t.id = q.track_id"
        f" WHERE c.user_id = %s AND q.status = %s AND t.slug IN ({db.placeholders(slugs)})",
        [profile.user_id, Question.Status.PUBLISHED, *slugs],
    )


def _card_with_content(row) -> Card:
    card = db.instance(Card, row[:-2])
    card.question = question_content(pk=card.question_id, version=row[-2], updated_at=db.aware(row[-1]))
    return card


def _first_card(profile, condition: str, params: list, order: str = "c.due, c.id") -> Card | None:
    """The profile's first card (by `order`) matching the SQL `condition`."""
    where, where_params = _in_tracks(profile)
    row = db.fetch_one(
        f"{_CARD_SELECT}{where} AND {condition} ORDER BY {order} LIMIT 1", [*where_params, *params]
    )
    return _card_with_content(row) if row else None


# The practice bar shows "100+ due" beyond this: counting a backlog of a thousand cards would
# cost a millisecond on every grade, and the exact number makes no difference to a session.
DUE_COUNT_CAP = 100


def due_count(*, profile, now: datetime, limit: int | None = None) -> int:
    """Cards due now; with `limit`, counting stops there."""
    where, params = _in_tracks(profile)
    params.append(db.to_db(now))
    if limit is not None:
        params.append(limit)
    (count,) = db.fetch_one(
        f"SELECT COUNT(*) FROM (SELECT 1{where} AND c.reps > 0 AND c.due <= %s"
        f"{' LIMIT %s' if limit is not None else ''}) AS due",
        params,
    )
    return count


def next_card(*, profile, now: datetime, counts: TodayCounts) -> Card | Question | None:
    """The next thing to practise: a due Card, or a new Question (no Card yet), or None.

    Order: due reviews (oldest due first) within today's review limit; then new questions
    within today's new limit (a card introduced but not yet answered first); then a learning
    step due within LEARN_AHEAD.
    """
    if counts.paused:
        return None
    if counts.reviews_left and (due := _first_card(profile, "c.reps > 0 AND c.due <= %s", [db.to_db(now)])):
        return due
    if counts.new_left:
        if started := _first_card(profile, "c.reps = 0", [], order="c.created_at, c.id"):
            return started
        if fresh := _unseen(profile).order_by("difficulty", "id").only("id", "version", "updated_at").first():
            return question_with_content(fresh)
    learning = (Card.State.LEARNING, Card.State.RELEARNING)
    return _first_card(
        profile,
        "c.reps > 0 AND c.due <= %s AND c.state IN (%s, %s)",
        [db.to_db(now + LEARN_AHEAD), *learning],
    )


def next_due_at(*, profile) -> datetime | None:
    """When the earliest practised card comes due (for the "all done" page)."""
    where, params = _in_tracks(profile)
    (at,) = db.fetch_one(f"SELECT MIN(c.due){where} AND c.reps > 0", params)
    return db.aware(at)


def _unseen(profile):
    """Published questions in the candidate's tracks that they have no card for."""
    return (
        Question.objects.published()
        .for_tracks(profile.track_slugs)
        .filter(~Exists(Card.objects.filter(user_id=profile.user_id, question=OuterRef("pk"))))
    )


def new_available(*, profile) -> int:
    """How many published questions in the candidate's tracks they have never seen."""
    return _unseen(profile).count()


def card_for_user(*, user, card_id: int, lock: bool = False) -> Card:
    """A card of this user with its question content; another user's card raises DoesNotExist.

    With `lock`, the row stays locked until the transaction ends (writers use it)."""
    lock_sql = db.for_update(of="c") if lock else ""
    row = db.fetch_one(
        f"{_CARD_SELECT}{_CARD_JOIN} WHERE c.id = %s AND c.user_id = %s{lock_sql}", [card_id, user.pk]
    )
    if row is None:
        raise Card.DoesNotExist
    return _card_with_content(row)


def display_choices(card: Card) -> list:
    """The question's choices in an order fixed per card.

    Authors tend to write the right answer first; a per-card shuffle (seeded by the card, so it
    stays put between answering and revealing) keeps the position from giving it away.
    """
    choices = list(card.question.choices.all())
    random.Random(card.pk).shuffle(choices)
    return choices
