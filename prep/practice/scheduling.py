"""FSRS scheduling through the `fsrs` package, made deterministic so the Review log replays.

The memory model is fsrs's. What lives here is the glue: converting our Card row to and from
fsrs's Card, fuzz seeded from (card, repetition) instead of unseeded `random()` (as Anki does),
and the user's day boundaries.
"""

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import fsrs
from fsrs.scheduler import FUZZ_RANGES

MAXIMUM_INTERVAL_DAYS = 36500


@dataclass(frozen=True)
class CardState:
    """The scheduler-owned fields of a Card; state 0 is "new" (fsrs has no such state)."""

    state: int = 0
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    @classmethod
    def of(cls, card) -> "CardState":
        return cls(**{name: getattr(card, name) for name in cls.__dataclass_fields__})


@lru_cache(maxsize=64)
def _scheduler(desired_retention: float) -> fsrs.Scheduler:
    # Fuzz is off here and applied below with a seed; fsrs's own fuzz calls unseeded random().
    return fsrs.Scheduler(
        desired_retention=desired_retention,
        maximum_interval=MAXIMUM_INTERVAL_DAYS,
        enable_fuzzing=False,
    )


def fuzz_range(interval_days: int) -> tuple[int, int]:
    """The days a review may land on, with fsrs's own fuzz ranges (the same as Anki's)."""
    delta = 1.0 + sum(
        r["factor"] * max(min(float(interval_days), r["end"]) - r["start"], 0.0) for r in FUZZ_RANGES
    )
    low = max(2, round(interval_days - delta))
    high = min(round(interval_days + delta), MAXIMUM_INTERVAL_DAYS)
    return min(low, high), high


def fuzzed_days(interval_days: int, *, seed: str) -> int:
    if interval_days < 3:  # fsrs does not fuzz intervals under 2.5 days
        return interval_days
    low, high = fuzz_range(interval_days)
    return random.Random(seed).randint(low, high)


def schedule(
    current: CardState,
    *,
    card_id: int,
    rating: int,
    now: datetime,
    desired_retention: float,
) -> CardState:
    """The card's state after a review with `rating` (1-4) at `now`."""
    scheduler = _scheduler(desired_retention)
    fsrs_card = fsrs.Card(
        card_id=card_id,
        state=fsrs.State.Learning if current.state == 0 else fsrs.State(current.state),
        step=0 if current.state == 0 else current.step,
        stability=current.stability,
        difficulty=current.difficulty,
        due=current.due or now,
        last_review=current.last_review,
    )
    updated, _log = scheduler.review_card(fsrs_card, fsrs.Rating(rating), review_datetime=now)
    due = updated.due
    if updated.state == fsrs.State.Review:
        days = (due - now).days
        due = now + timedelta(days=fuzzed_days(days, seed=f"{card_id}:{current.reps}"))
    lapsed = current.state == fsrs.State.Review and rating == fsrs.Rating.Again
    return CardState(
        state=int(updated.state),
        step=updated.step,
        stability=updated.stability,
        difficulty=updated.difficulty,
        due=due,
        last_review=now,
        reps=current.reps + 1,
        lapses=current.lapses + int(lapsed),
    )


def replay(reviews, *, card_id: int, created: datetime) -> CardState:
    """Rebuild a card from its Reviews, oldest first: it must equal the stored Card."""
    state = CardState(due=created)
    for review in reviews:
        state = schedule(
            state,
            card_id=card_id,
            rating=review.rating,
            now=review.reviewed_at,
            desired_retention=review.desired_retention,
        )
    return state


def new_card_state(now: datetime) -> CardState:
    return replace(CardState(), due=now)


def day_start(now: datetime, *, timezone: str, rollover_hour: int) -> datetime:
    """When the user's current day began: local midnight shifted to the rollover hour."""
    local = now.astimezone(ZoneInfo(timezone))
    start = local.replace(hour=rollover_hour, minute=0, second=0, microsecond=0)
    if local < start:
        start -= timedelta(days=1)
    return start


def local_day(now: datetime, *, timezone: str, rollover_hour: int):
    """The date the user thinks of as "today"."""
    return day_start(now, timezone=timezone, rollover_hour=rollover_hour).date()
