"""FSRS scheduling through the `fsrs` package, made deterministic so the Review log replays.

The memory model is fsrs's. What lives here is the glue: converting our Card row to and from
fsrs's Card, fuzz seeded from (card, repetition) instead of unseeded `random()` (as Anki does),
and the user's day boundaries.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import fsrs
from fsrs.scheduler import DEFAULT_PARAMETERS, FUZZ_RANGES

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


@lru_cache(maxsize=256)
def _scheduler(desired_retention: float, parameters: tuple[float, ...] | None) -> fsrs.Scheduler:
    # Fuzz is off here and applied below with a seed; fsrs's own fuzz calls unseeded random().
    return fsrs.Scheduler(
        parameters=parameters or DEFAULT_PARAMETERS,
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


def fuzzed_days(interval_days: int, *, seed: str, loads: dict[int, int] | None = None) -> int:
    """A day in the fuzz range, picked with a seeded random draw (replayable).

    With `loads` (cards already due on each day offset) the draw is weighted towards lightly
    loaded days, like Anki's load balancer, so one day does not pile up.
    """
    if interval_days < 3:  # fsrs does not fuzz intervals under 2.5 days
        return interval_days
    low, high = fuzz_range(interval_days)
    days = list(range(low, high + 1))
    loads = loads or {}
    weights = [1 / (loads.get(day, 0) + 1) ** 2 for day in days]
    return random.Random(seed).choices(days, weights=weights)[0]


def schedule(
    current: CardState,
    *,
    card_id: int,
    rating: int,
    now: datetime,
    desired_retention: float,
    parameters: tuple[float, ...] | None = None,
    day_loads: Callable[[int, int], dict[int, int]] | None = None,
    due_cap: datetime | None = None,
) -> CardState:
    """The card's state after a review with `rating` (1-4) at `now`.

    The memory fields come from fsrs alone. The due date is fsrs's interval, fuzzed towards
    lightly loaded days (`day_loads(low, high)`: cards already due per day offset in the fuzz
    range) and never later than `due_cap` (the interview). Callers record the due date on the
    Review, since the loads depend on other cards.
    """
    scheduler = _scheduler(desired_retention, parameters)
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
        loads = day_loads(*fuzz_range(days)) if day_loads and days >= 3 else None
        due = now + timedelta(days=fuzzed_days(days, seed=f"{card_id}:{current.reps}", loads=loads))
    if due_cap is not None and due > due_cap:
        due = due_cap
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


def replay(reviews, *, card_id: int, created: datetime, parameters_by_version=None, shifts=()) -> CardState:
    """Rebuild a card from its Reviews (oldest first) and the user's schedule shifts (pauses).

    Memory fields are recomputed by fsrs; the due date each review scheduled is taken from the
    log (it depended on other cards' load). The result must equal the stored Card.
    """
    parameters_by_version = parameters_by_version or {}
    state = CardState(due=created)
    for review in reviews:
        state = schedule(
            state,
            card_id=card_id,
            rating=review.rating,
            now=review.reviewed_at,
            desired_retention=review.desired_retention,
            parameters=parameters_by_version.get(review.parameters_version),
        )
        if review.scheduled_due is not None:
            state = replace(state, due=review.scheduled_due)
    for shift in shifts:
        if state.last_review is not None and shift.created_at > state.last_review:
            state = replace(state, due=state.due + timedelta(days=shift.days))
    return state


def retrievability(
    *, stability: float | None, last_review: datetime | None, now: datetime, parameters=None
) -> float:
    """fsrs's probability of recalling a card now (0 for a card never reviewed)."""
    if stability is None or last_review is None:
        return 0.0
    # An explicit card_id: without one fsrs sleeps 1 ms to make its generated ids unique.
    card = fsrs.Card(
        card_id=0, state=fsrs.State.Review, stability=stability, difficulty=5.0, last_review=last_review
    )
    return _scheduler(0.9, parameters).get_card_retrievability(card, current_datetime=now)


def interview_cap(*, interview_date, timezone: str, rollover_hour: int, now: datetime) -> datetime | None:
    """The latest a review may be scheduled so it is seen once more before the interview.

    The start of the day before the interview; on that day itself, the interview morning.
    None when there is no interview ahead.
    """
    if interview_date is None:
        return None
    interview_start = datetime.combine(interview_date, time(rollover_hour), ZoneInfo(timezone))
    if interview_start <= now:
        return None
    day_before = interview_start - timedelta(days=1)
    return day_before if day_before > now else interview_start
