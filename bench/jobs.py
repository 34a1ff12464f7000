"""Times the periodic jobs at scale, side by side with their floor, in one run.

1. Digest selection: 20,000 candidates with 2,000,000 cards on PostgreSQL. `digests_create`
   (per time-zone group: eligible candidates, insert the rows, read back their ids) against the
   bare SQL aggregate it needs (which users have a card due today), same database, same run.
   Each digest run is rolled back so every repetition does the full work.
2. A personal FSRS parameter fit on 10,000 reviews (fsrs-rs-python), from review rows to
   stored-ready parameters.

Usage: python bench/jobs.py [--users 20000] [--cards-per-user 100] [--repeat 5]
Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/prep_bench; the
database is created if missing and its tables are replaced).
"""

import argparse
import os
import random
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/prep_bench"
ZONES = [
    "UTC", "Europe/London", "Europe/Berlin", "Europe/Kyiv", "America/New_York", "America/Chicago",
    "America/Denver", "America/Los_Angeles", "America/Sao_Paulo", "Asia/Kolkata", "Asia/Tokyo",
    "Asia/Singapore", "Asia/Dubai", "Australia/Sydney", "Africa/Lagos", "Pacific/Auckland",
]  # fmt: skip


def ensure_database(url: str, *, fresh: bool = False) -> None:
    """Create the PostgreSQL database of `url` if missing (`fresh`: drop and recreate it)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup(url: str) -> None:
    os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="prep.settings", LOG_LEVEL="WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("import_bank", str(ROOT / "questions" / "banks"), verbosity=0)


def generate(users: int, cards_per_user: int, now: datetime) -> None:
    """Users, profiles and cards with set-based SQL (minutes in the ORM, seconds this way)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email,
                                       is_staff, is_active, date_joined)
            SELECT '!', false, 'bench' || g || '@bench.local', '', '', 'bench' || g || '@bench.local',
                   false, true, %s
            FROM generate_series(1, %s) g
            """,
            [now, users],
        )
        cur.execute(
            """
            INSERT INTO accounts_profile (user_id, role, track, timezone, desired_retention, new_per_day,
                reviews_per_day, day_rollover_hour, reminder_hour, email_reminders, streak_days,
                reviews_since_fit, parameters_version, extra_new_count)
            SELECT u.id, 'candidate', 'both', (%s::text[])[1 + u.id %% %s], 0.9, 10, 100, 4, 0, true,
                   u.id %% 9, 0, 0, 0
            FROM accounts_user u WHERE u.email LIKE '%%@bench.local'
            """,
            [ZONES, len(ZONES)],
        )
        # Each user: the first `cards_per_user` questions; due dates from 20 days ago to 40 ahead,
        # so about a third of the cards are due and nearly every user has something due.
        cur.execute(
            """
            INSERT INTO practice_card (user_id, question_id, state, step, stability, difficulty, due,
                                       last_review, reps, lapses, created_at)
            SELECT u.id, q.id, 2, NULL, 10.0, 5.0,
                   %s::timestamptz + ((hashtext(u.id || ':' || q.id) %% 60) - 20) * interval '1 day',
                   %s::timestamptz - interval '10 days', 3, 0, %s
            FROM accounts_user u
            CROSS JOIN (SELECT id FROM questions_question ORDER BY id LIMIT %s) q
            WHERE u.email LIKE '%%@bench.local'
            """,
            [now, now, now, cards_per_user],
        )
        cur.execute("ANALYZE")


def time_selection_only(now: datetime) -> tuple[float, int]:
    """The eligibility queries of digests_create alone (counted, nothing written)."""
    from collections import defaultdict
    from zoneinfo import ZoneInfo

    from prep.accounts.models import Profile
    from prep.practice.digests import _eligible, _local_end_of_day

    start = time.perf_counter()
    groups = defaultdict(list)
    for name in Profile.objects.values_list("timezone", flat=True).distinct():
        local = now.astimezone(ZoneInfo(name))
        groups[(local.date(), local.hour, local.utcoffset())].append(name)
    found = sum(
        _eligible(names, day=day, hour=hour, until=_local_end_of_day(day, ZoneInfo(names[0]))).count()
        for (day, hour, _), names in groups.items()
    )
    return time.perf_counter() - start, found


def time_digest_selection(now: datetime, repeat: int):
    from django.db import connection, transaction

    from prep.practice.digests import digests_create

    job, bare, selection, created = [], [], [], 0
    for _ in range(repeat):
        selection.append(time_selection_only(now)[0])
        with transaction.atomic():
            start = time.perf_counter()
            created = len(digests_create(now=now))
            job.append(time.perf_counter() - start)
            transaction.set_rollback(True)
        with connection.cursor() as cur:
            start = time.perf_counter()
            cur.execute(
                """
                SELECT c.user_id, count(*) FROM practice_card c
                JOIN questions_question q ON q.id = c.question_id AND q.status = 'published'
                WHERE c.reps > 0 AND c.due < %s GROUP BY c.user_id
                """,
                [now + timedelta(days=1)],
            )
            users_with_due = len(cur.fetchall())
            bare.append(time.perf_counter() - start)
    with transaction.atomic():  # once more, untimed, for peak Python memory (tracing is slow)
        tracemalloc.start()
        digests_create(now=now)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        transaction.set_rollback(True)
    return job, selection, bare, created, users_with_due, peak


def time_fit(reviews: int) -> tuple[float, int]:
    import fsrs_rs_python as fsrs_rs

    from prep.practice.fitting import training_items

    rng = random.Random(3)
    rows, start = [], datetime(2026, 1, 1, 9, tzinfo=UTC)
    card = 0
    while len(rows) < reviews:
        card += 1
        day = rng.randint(0, 30)
        interval = 1
        for _ in range(rng.randint(3, 12)):
            rows.append(
                (card, rng.choices([1, 2, 3, 4], weights=[1, 1, 7, 1])[0], start + timedelta(days=day))
            )
            day += interval
            interval = max(1, int(interval * rng.uniform(1.5, 3)))
    rows = rows[:reviews]
    began = time.perf_counter()
    items = training_items(rows, timezone_name="UTC", rollover_hour=4)
    fitted = fsrs_rs.FSRS(fsrs_rs.DEFAULT_PARAMETERS).compute_parameters(items)
    fsrs_rs.FSRS(fitted).evaluate(items)
    return time.perf_counter() - began, len(items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--cards-per-user", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    setup(url)
    now = datetime.now(UTC).replace(minute=30, second=0, microsecond=0)
    began = time.perf_counter()
    generate(args.users, args.cards_per_user, now)
    print(
        f"{args.users:,} users, {args.users * args.cards_per_user:,} cards generated "
        f"in {time.perf_counter() - began:.1f} s (PostgreSQL)\n"
    )
    job, selection, bare, created, with_due, peak = time_digest_selection(now, args.repeat)
    job_ms, bare_ms = statistics.median(job) * 1000, statistics.median(bare) * 1000
    selection_ms = statistics.median(selection) * 1000
    print(f"Digest job, median of {args.repeat} (each repetition measures all three, in turn)")
    print(f"  selection queries alone (counted, nothing written): {selection_ms:8.1f} ms")
    print(f"  digests_create (selects and inserts {created:,} rows): {job_ms:8.1f} ms")
    print(f"  bare SQL aggregate ({with_due:,} users with cards due): {bare_ms:8.1f} ms")
    print(f"  ratio selection / bare: {selection_ms / bare_ms:.2f} (target <= 1.5)")
    print(f"  ratio whole job / bare: {job_ms / bare_ms:.2f}")
    print(f"  peak Python memory of digests_create: {peak / 1e6:.1f} MB\n")
    seconds, items = time_fit(10_000)
    print(f"Parameter fit on 10,000 reviews ({items:,} training items): {seconds:.2f} s")


if __name__ == "__main__":
    main()
