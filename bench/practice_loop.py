"""Times the practice loop (grade -> next card), side by side with its baselines, in one run.

1. Over HTTP (gunicorn, one sync worker, loopback): POST grade -> next-card partial, alternated
   request by request with a one-query view, so both see the same machine state.
2. Without HTTP, on SQLite: review_submit + next_card for our code, against Anki's own backend
   (col.sched.answer_card + col.sched.get_queued_cards, FSRS on) on a collection of the same size.

Usage: python bench/practice_loop.py [--cards 2000] [--rounds 300] [--postgres URL]
With --postgres, both parts run on a fresh PostgreSQL database instead (Anki stays on SQLite).
Numbers go to docs/BENCHMARKS.md by hand; nothing here asserts a time.
"""

import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765
PASSWORD = "bench-password-123"


def setup_django(database_url: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-not-for-production-0123456789",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("import_bank", str(ROOT / "questions" / "banks"), verbosity=0)


def make_questions(total: int) -> list:
    """The shipped bank, then copies of its questions (real text) up to `total`."""
    from questions.models import Choice, Question, RubricPoint

    real = list(Question.objects.with_content())
    copies = []
    for i in range(total - len(real)):
        source = real[i % len(real)]
        copies.append(
            Question(
                slug=f"bench-copy-{i}",
                track=source.track,
                kind=source.kind,
                difficulty=source.difficulty,
                title=source.title,
                prompt=source.prompt + f"\n\n(copy {i})",
                answer=source.answer,
                explanation=source.explanation,
            )
        )
    made = Question.objects.bulk_create(copies)
    sources = [real[i % len(real)] for i in range(len(made))]
    Choice.objects.bulk_create(
        Choice(question=q, position=c.position, text=c.text, is_correct=c.is_correct, why=c.why)
        for q, s in zip(made, sources, strict=True)
        for c in s.choices.all()
    )
    RubricPoint.objects.bulk_create(
        RubricPoint(question=q, position=p.position, text=p.text, weight=p.weight)
        for q, s in zip(made, sources, strict=True)
        for p in s.rubric_points.all()
    )
    return real + made


def make_user_with_history(email: str, questions: list):
    """A candidate who reviewed every question once three days ago; all are due now."""
    from django.db import connection

    from prep.accounts.services import profile_update, user_create
    from tests.factories import reviewed_once_and_due

    user = user_create(email=email, password=PASSWORD)
    profile_update(user=user, reviews_per_day=1000, new_per_day=0)
    reviewed_once_and_due(user, questions)
    if connection.vendor == "postgresql":
        # Table statistics, as autovacuum keeps them on a live database; right after a bulk
        # load the planner thinks the tables are empty and sorts every due card.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return user


def warm_question_cache() -> None:
    from bench.urls import warm_question_caches

    warm_question_caches()


def time_unit_of_work(user, rounds: int) -> list[float]:
    from django.utils import timezone

    from prep.accounts.selectors import profile_for
    from prep.practice import selectors
    from prep.practice.services import review_submit

    profile = profile_for(user)
    now = timezone.now()
    card = selectors.next_card(
        profile=profile, now=now, counts=selectors.today_counts(profile=profile, now=now)
    )
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        review_submit(user=user, card_id=card.pk, rating=3, idempotency_key=uuid.uuid4(), answer="bench")
        now = timezone.now()
        counts = selectors.today_counts(profile=profile, now=now)
        card = selectors.next_card(profile=profile, now=now, counts=counts)
        times.append(time.perf_counter() - start)
    return times


def time_anki(cards: int, rounds: int, workdir: Path) -> list[float]:
    import anki.collection  # noqa: F401 - must load before anki.cards (circular import)
    from anki.cards import Card
    from anki.collection import Collection
    from anki.scheduler.v3 import CardAnswer

    col = Collection(str(workdir / "bench.anki2"))
    col.set_config("fsrs", True)
    deck_id = col.decks.id("Bench")
    config = col.decks.config_dict_for_deck_id(deck_id)
    config["new"]["perDay"] = 9999
    config["rev"]["perDay"] = 9999
    col.decks.update_config(config)
    col.decks.select(deck_id)
    model = col.models.by_name("Basic")
    for i in range(cards):
        note = col.new_note(model)
        note["Front"], note["Back"] = f"question {i}", f"answer {i}"
        col.add_note(note, deck_id)

    def answer(rating) -> None:
        top = col.sched.get_queued_cards(fetch_limit=1).cards[0]
        card = Card(col, backend_card=top.card)
        card.start_timer()
        col.sched.answer_card(col.sched.build_answer(card=card, states=top.states, rating=rating))

    # History like ours: every card reviewed once, then all due now.
    for _ in range(cards):
        answer(CardAnswer.EASY)
    col.sched.set_due_date(list(col.find_cards("deck:Bench")), "0")
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        answer(CardAnswer.GOOD)
        col.sched.get_queued_cards(fetch_limit=1)  # the next card, as our loop fetches it
        times.append(time.perf_counter() - start)
    revlog = col.db.scalar("select count() from revlog where ease > 0")  # not set_due_date rows
    assert revlog == cards + rounds, revlog
    col.close()
    return times


class Http:
    def __init__(self, session_cookie: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        self.cookies = {"sessionid": session_cookie}

    def request(self, method, path, body=None, headers=None) -> tuple[int, str, float]:
        headers = dict(headers or {})
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        start = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode()
        elapsed = time.perf_counter() - start
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text, elapsed


def next_grade_form(html: str) -> tuple[str, str]:
    card_id = re.search(r'action="/practice/cards/(\d+)/reveal/"', html).group(1)
    key = re.search(r'name="idempotency_key" value="([0-9a-f-]+)"', html).group(1)
    return card_id, key


def server_times(access_log: Path, rounds: int) -> dict[str, list[float]]:
    """Seconds gunicorn spent on each request of the timed loop (its access log's %(D)s): the
    server time, without the client's connect and read."""
    kinds = {
        "grade_next": "/grade/",
        "one_query": "/bench/one-query/",
        "one_query_logged_in": "/bench/one-query-logged-in/",
    }
    times = {kind: [] for kind in kinds}
    for line in access_log.read_text().splitlines():
        request, micros = line.rsplit(" ", 1)
        for kind, marker in kinds.items():
            if request.split(" ")[1].endswith(marker):
                times[kind].append(int(micros) / 1e6)
    return {kind: found[-rounds:] for kind, found in times.items()}  # warm-up excluded


def time_http(user, rounds: int, *, warm: bool, workdir: Path) -> dict[str, list[float]]:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    # A real sign-in through the login form, so the session is the one a candidate has.
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    access_log = workdir / f"access-{'warm' if warm else 'cold'}.log"
    server = subprocess.Popen(
        [
            *(
                sys.executable,
                "-m",
                "gunicorn",
                "prep.wsgi:application",
                "-b",
                f"127.0.0.1:{PORT}",
                "-w",
                "1",
            ),
            *("--access-logfile", str(access_log), "--access-logformat", "%(r)s %(D)s"),
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        http_client = Http(client.cookies["sessionid"].value)
        for _ in range(100):
            try:
                status, html, _ = http_client.request("GET", "/practice/")
                break
            except OSError:
                http_client.conn.close()
                time.sleep(0.1)
        assert status == 200, status
        if warm:
            assert http_client.request("GET", "/bench/warm/")[0] == 200
        card_id, key = next_grade_form(html)
        times = {"grade_next": [], "one_query": [], "one_query_logged_in": []}
        for i in range(rounds + 20):
            body = f"idempotency_key={key}&rating=3&answer=bench"
            status, html, t_grade = http_client.request(
                "POST",
                f"/practice/cards/{card_id}/grade/",
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "HX-Request": "true",
                    "X-CSRFToken": http_client.cookies["csrftoken"],
                    "Referer": f"http://127.0.0.1:{PORT}/practice/",
                },
            )
            assert status == 200 and "comes back" in html, (status, html[:300])
            card_id, key = next_grade_form(html)
            status, _, t_one = http_client.request("GET", "/bench/one-query/")
            status2, _, t_one_in = http_client.request("GET", "/bench/one-query-logged-in/")
            assert status == status2 == 200
            if i >= 20:  # warm-up excluded
                times["grade_next"].append(t_grade)
                times["one_query"].append(t_one)
                times["one_query_logged_in"].append(t_one_in)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return times | {f"server_{kind}": found for kind, found in server_times(access_log, rounds).items()}


def summary(name: str, times: list[float]) -> float:
    median = statistics.median(times) * 1000
    p90 = statistics.quantiles(times, n=10)[-1] * 1000
    print(f"  {name:<34} median {median:7.2f} ms   p90 {p90:7.2f} ms   n={len(times)}")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument(
        "--postgres", metavar="URL", help="e.g. postgres://postgres@127.0.0.1:5432/prep_bench_loop"
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="prep-bench-"))
    database = "PostgreSQL" if args.postgres else "SQLite"
    try:
        if args.postgres:
            sys.path.insert(0, str(ROOT))
            from bench.jobs import ensure_database

            ensure_database(args.postgres, fresh=True)
        setup_django(args.postgres or f"sqlite:///{workdir / 'bench.sqlite3'}")
        questions = make_questions(args.cards)
        unit_user = make_user_with_history("unit@bench.local", questions)
        print(f"{len(questions)} questions; each user has {args.cards} cards and reviews, all due.\n")

        print(f"Unit of work without HTTP ({database}), grade + next card:")
        cold = summary("Prep, question cache cold", time_unit_of_work(unit_user, args.rounds // 2))
        warm_question_cache()
        ours = summary("Prep, question cache warm", time_unit_of_work(unit_user, args.rounds))
        anki = summary("Anki answer_card + get_queued_cards", time_anki(args.cards, args.rounds, workdir))
        print(f"  ratio Prep / Anki: warm {ours / anki:.2f}, cold {cold / anki:.2f} (target <= 4)\n")

        for warm in (False, True):
            label = "warm" if warm else "cold"
            print(f"Over HTTP ({database}; gunicorn, 1 sync worker, loopback), question cache {label}:")
            user = make_user_with_history(f"http-{label}@bench.local", questions)
            times = time_http(user, args.rounds, warm=warm, workdir=workdir)
            for prefix, what in (("", "client round trip"), ("server_", "server time (gunicorn's own)")):
                print(f" {what}:")
                grade = summary("POST grade -> next card partial", times[f"{prefix}grade_next"])
                floor = summary("GET one-query view", times[f"{prefix}one_query"])
                floor_in = summary("GET one-query view, logged in", times[f"{prefix}one_query_logged_in"])
                print(f"  ratio grade / one-query: {grade / floor:.2f} (target <= 1.5)")
                print(f"  ratio grade / one-query logged in: {grade / floor_in:.2f}")
            print()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
