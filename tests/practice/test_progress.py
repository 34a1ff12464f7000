import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from fsrs.scheduler import DEFAULT_PARAMETERS

from prep.practice.models import Card, ParameterSet, Review
from questions.models import Question
from tests.factories import QuestionFactory, TopicFactory, TrackFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("practice:progress")
# 21:00 on Tue 10 Jun in Tokyo, 08:00 the same day in New York.
NOW = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def candidate(client, **profile):
    user = UserFactory(**{f"with_profile__{name}": value for name, value in profile.items()})
    client.force_login(user)
    return user


def practised(user, question, *, due=NOW, stability=10.0, last_review=None, reps=1) -> Card:
    return Card.objects.create(
        user=user,
        question=question,
        state=Card.State.REVIEW if reps else Card.State.NEW,
        stability=stability if reps else None,
        difficulty=5.0 if reps else None,
        due=due,
        last_review=(last_review or NOW - timedelta(days=1)) if reps else None,
        reps=reps,
    )


def reviewed(card, at: datetime) -> Review:
    return Review.objects.create(
        user=card.user,
        card=card,
        rating=Review.Rating.GOOD,
        question_version=1,
        reviewed_at=at,
        idempotency_key=uuid.uuid4(),
        desired_retention=0.9,
    )


def text(response) -> str:
    """The page's text with template whitespace collapsed."""
    return re.sub(r"\s+", " ", response.content.decode())


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_candidate_without_reviews_sees_how_to_start(client):
    candidate(client)
    QuestionFactory()
    QuestionFactory(status=Question.Status.DRAFT)
    response = client.get(URL)
    body = text(response)
    assert response.status_code == 200
    assert 'data-testid="progress-empty"' in body
    assert "1 question is waiting in your tracks" in body
    assert f'href="{reverse("practice:session")}"' in body
    assert 'data-testid="forecast"' not in body and 'data-testid="heatmap"' not in body


def test_nav_links_to_the_progress_page(client):
    candidate(client)
    assert f'href="{URL}">Progress</a>' in client.get(reverse("practice:session")).content.decode()


def test_forecast_counts_reviews_on_the_candidates_local_days(client):
    user = candidate(client, timezone="Asia/Tokyo", day_rollover_hour=4)
    other = UserFactory()
    at = lambda *args: datetime(*args, tzinfo=UTC)  # noqa: E731
    cards = [
        practised(user, QuestionFactory(), due=NOW - timedelta(days=5)),  # overdue: today
        practised(user, QuestionFactory(), due=at(2025, 6, 10, 18)),  # 03:00 on 11 Jun: before rollover
        practised(user, QuestionFactory(), due=at(2025, 6, 10, 20)),  # 05:00 on 11 Jun: tomorrow
        practised(user, QuestionFactory(), due=at(2025, 6, 12, 20)),  # 05:00 on 13 Jun: day 3
        practised(user, QuestionFactory(), due=at(2025, 7, 9, 18)),  # 03:00 on 10 Jul: day 29, the last
        practised(user, QuestionFactory(), due=at(2025, 7, 9, 20)),  # 05:00 on 10 Jul: beyond the chart
    ]
    practised(user, QuestionFactory(), reps=0)  # introduced, never answered
    practised(user, QuestionFactory(status=Question.Status.DRAFT))
    practised(user, QuestionFactory(track=TrackFactory(slug="ml-engineer", name="ML Engineer")), due=NOW)
    practised(other, QuestionFactory(), due=NOW)
    reviewed(cards[0], NOW - timedelta(days=1))
    user.profile.track = "ai-engineer"
    user.profile.save()

    response = client.get(URL)
    forecast = response.context["progress"].forecast
    counts = [bar.count for bar in forecast.bars]
    assert len(counts) == 30
    assert counts[0] == 2 and counts[1] == 1 and counts[3] == 1 and counts[29] == 1
    assert sum(counts) == 5
    assert forecast.bars[0].day == date(2025, 6, 10) and forecast.bars[29].day == date(2025, 7, 9)
    body = text(response)
    assert "<title>2 reviews due today</title>" in body
    assert "<title>1 review due Fri 13 Jun</title>" in body
    # The busiest day fills the plot; bars are drawn as SVG geometry, not style attributes.
    assert forecast.bars[0].height == forecast.frame.plot_height
    assert "style=" not in body


def test_retention_is_a_probability_that_falls_with_time_since_review(client):
    user = candidate(client)
    card = practised(user, QuestionFactory(), stability=10.0, last_review=NOW - timedelta(days=1))
    reviewed(card, NOW - timedelta(days=1))

    recent = client.get(URL)
    fresh = recent.context["progress"].retention
    card.last_review = NOW - timedelta(days=60)
    card.save()
    stale = client.get(URL).context["progress"].retention

    assert 0 < stale.mean < fresh.mean < 1
    assert fresh.practised == 1
    body = text(recent)
    assert f"you would recall about <strong>{fresh.percent}%</strong>" in body
    assert "default FSRS parameters (personal parameters are fitted after 400 reviews)" in body


def test_retention_names_the_personal_parameters_in_force(client):
    user = candidate(client, timezone="Asia/Tokyo")
    profile = user.profile
    profile.fsrs_parameters = list(DEFAULT_PARAMETERS)
    profile.parameters_version = 2
    profile.save()
    for version, count in ((1, 500), (2, 1240)):
        ParameterSet.objects.create(
            user=user,
            version=version,
            parameters=list(DEFAULT_PARAMETERS),
            review_count=count,
            log_loss=0.31,
            default_log_loss=0.35,
            fitted_at=datetime(2025, 6, 2, 20, tzinfo=UTC),  # 3 Jun in Tokyo
        )
    reviewed(practised(user, QuestionFactory()), NOW - timedelta(days=1))

    body = text(client.get(URL))
    assert (
        "personal parameters fitted on 1,240 reviews on 3 Jun (log loss 0.31 vs 0.35 with defaults)" in body
    )


def test_mastery_counts_questions_practised_and_mastered_per_topic(client):
    user = candidate(client, track="ai-engineer")
    other = UserFactory()
    retrieval = TopicFactory(name="Retrieval")
    evals = TopicFactory(name="Evals")
    ml_topic = TopicFactory(name="Drift", track=TrackFactory(slug="ml-engineer", name="ML Engineer"))
    TopicFactory(name="Empty topic")
    both = QuestionFactory(topics=[retrieval, evals])
    learning = QuestionFactory(topics=[retrieval])
    introduced = QuestionFactory(topics=[retrieval])
    QuestionFactory(topics=[evals])
    draft = QuestionFactory(topics=[retrieval], status=Question.Status.DRAFT)
    ml_question = QuestionFactory(topics=[ml_topic], track=ml_topic.track)

    reviewed(practised(user, both, stability=30.0, reps=3), NOW - timedelta(days=2))
    practised(user, learning, stability=5.0)
    practised(user, introduced, reps=0)
    practised(user, draft, stability=50.0)
    practised(user, ml_question, stability=50.0)
    practised(other, introduced, stability=40.0)

    response = client.get(URL)
    rows = [
        (row.track, row.topic, row.questions, row.practised, row.mastered)
        for row in response.context["progress"].mastery
    ]
    assert rows == [("AI Engineer", "Evals", 2, 1, 1), ("AI Engineer", "Retrieval", 3, 2, 1)]
    body = text(response)
    assert 'class="meter-practised" width="106.7"' in body  # 2 of 3 on a 160-unit bar
    assert 'class="meter-mastered" width="53.3"' in body


def test_heatmap_counts_reviews_per_local_day(client):
    user = candidate(client, timezone="America/New_York", day_rollover_hour=4)
    card = practised(user, QuestionFactory())
    other_card = practised(UserFactory(), QuestionFactory())
    at = lambda *args: datetime(*args, tzinfo=UTC)  # noqa: E731
    for moment in (
        at(2025, 6, 10, 9),  # 05:00 on 10 Jun in New York
        at(2025, 6, 10, 7),  # 03:00 on 10 Jun: still 9 Jun before the 04:00 rollover
        at(2025, 6, 9, 23, 30),  # 19:30 on 9 Jun
        at(2025, 6, 9, 3),  # 23:00 on 8 Jun (9 Jun in UTC)
        at(2025, 6, 2, 15),
        at(2025, 6, 2, 16),
        at(2025, 6, 2, 17),
        NOW - timedelta(weeks=30),  # before the 26-week window
    ):
        reviewed(card, moment)
    reviewed(other_card, at(2025, 6, 10, 9))

    response = client.get(URL)
    heatmap = response.context["progress"].heatmap
    counts = {cell.day: cell.count for cell in heatmap.cells if cell.count}
    assert counts == {date(2025, 6, 10): 1, date(2025, 6, 9): 2, date(2025, 6, 8): 1, date(2025, 6, 2): 3}
    # 25 whole weeks starting on a Monday, then this week up to today (a Tuesday).
    assert heatmap.first_day == date(2024, 12, 16) and heatmap.first_day.weekday() == 0
    assert len(heatmap.cells) == 25 * 7 + 2 and heatmap.cells[-1].day == date(2025, 6, 10)
    body = text(response)
    assert (
        'class="heat l4" x="390" y="16" width="12" height="12" rx="2" data-day="2025-06-02" data-count="3">'
        "<title>3 reviews on Mon 2 Jun</title>"
    ) in body
    assert "<title>1 review on Sun 8 Jun</title>" in body
    assert re.search(r'class="heat l2"[^>]*data-day="2025-06-08"', body)  # 1 of a peak of 3


@pytest.mark.parametrize(
    ("last_practice_day", "expected", "absent"),
    [
        (date(2025, 6, 9), "Practise today to keep your 5-day streak", "Today already counts"),
        (date(2025, 6, 10), "Today already counts", "Practise today"),
        (date(2025, 6, 7), "Practise today to start a new streak", "5-day"),
    ],
)
def test_streak_says_whether_today_counts(client, last_practice_day, expected, absent):
    user = candidate(client, timezone="Asia/Tokyo", streak_days=5, last_practice_day=last_practice_day)
    reviewed(practised(user, QuestionFactory()), NOW - timedelta(days=3))
    streak = text(client.get(URL)).split('data-testid="streak"')[1].split("</div>")[0]
    assert expected in streak and absent not in streak


def test_query_count_does_not_grow_with_history(client, django_assert_max_num_queries):
    user = candidate(client, timezone="Europe/Berlin")
    user.profile.fsrs_parameters = list(DEFAULT_PARAMETERS)
    user.profile.parameters_version = 1
    user.profile.save()
    ParameterSet.objects.create(
        user=user,
        version=1,
        parameters=list(DEFAULT_PARAMETERS),
        review_count=400,
        log_loss=0.3,
        default_log_loss=0.34,
        fitted_at=NOW - timedelta(days=3),
    )
    topics = [TopicFactory() for _ in range(3)]
    cards = [
        practised(
            user,
            QuestionFactory(topics=[topics[n % 3]]),
            due=NOW + timedelta(days=n % 40 - 5),
            stability=float(n + 1),
            last_review=NOW - timedelta(days=n % 20 + 1),
        )
        for n in range(50)
    ]
    Review.objects.bulk_create(
        Review(
            user=user,
            card=cards[n % 50],
            rating=Review.Rating.GOOD,
            question_version=1,
            reviewed_at=NOW - timedelta(hours=13 * n),
            idempotency_key=uuid.uuid4(),
            desired_retention=0.9,
        )
        for n in range(300)
    )

    # session, user with profile, cards, parameter set, review count, topics, cards per topic, review days
    with django_assert_max_num_queries(8):
        response = client.get(URL)
    progress = response.context["progress"]
    assert response.status_code == 200
    assert progress.total_reviews == 300 and progress.retention.practised == 50
    assert [row.practised for row in progress.mastery] == [17, 17, 16]
    assert progress.heatmap.total == 300
