from datetime import UTC, datetime, timedelta

from prep.practice.scheduling import CardState, fuzz_range, fuzzed_days, schedule

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def test_fuzz_is_deterministic_per_card_and_repetition_and_stays_in_range():
    low, high = fuzz_range(30)
    assert low < 30 < high
    picks = {fuzzed_days(30, seed=f"7:{reps}") for reps in range(50)}
    assert picks <= set(range(low, high + 1)) and len(picks) > 1
    assert fuzzed_days(30, seed="7:3") == fuzzed_days(30, seed="7:3")
    assert fuzzed_days(2, seed="7:3") == 2  # short intervals are never fuzzed


def test_good_ratings_grow_the_interval():
    state, now, intervals = CardState(due=NOW), NOW, []
    for _ in range(5):
        state = schedule(state, card_id=1, rating=3, now=now, desired_retention=0.9)
        intervals.append(state.due - now)
        now = state.due
    assert state.state == 2 and state.reps == 5 and state.lapses == 0
    assert intervals[-1] > intervals[-2] > timedelta(days=1)


def test_again_on_a_review_card_is_a_lapse():
    state = CardState(due=NOW)
    for _ in range(3):
        state = schedule(state, card_id=1, rating=3, now=state.due, desired_retention=0.9)
    lapsed = schedule(state, card_id=1, rating=1, now=state.due, desired_retention=0.9)
    assert (lapsed.lapses, lapsed.state) == (1, 3)
    assert lapsed.due - state.due <= timedelta(minutes=10)


def test_higher_retention_means_sooner_reviews():
    state = CardState(due=NOW)
    state = schedule(state, card_id=1, rating=3, now=NOW, desired_retention=0.9)
    state = schedule(state, card_id=1, rating=3, now=state.due, desired_retention=0.9)
    relaxed = schedule(state, card_id=1, rating=3, now=state.due, desired_retention=0.8)
    strict = schedule(state, card_id=1, rating=3, now=state.due, desired_retention=0.95)
    assert strict.due < relaxed.due
