import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prep.practice.models import Card, Review
from prep.practice.services import card_introduce
from questions.models import Question
from tests.factories import ChoiceQuestionFactory, QuestionFactory, UserFactory, reviewed_once_and_due

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def user(client):
    user = UserFactory()
    client.force_login(user)
    return user


def checked_rating(response) -> int:
    """The rating radio the page pre-selects (the suggestion)."""
    return int(re.search(r'name="rating" value="(\d)" checked', response.content.decode()).group(1))


def grade_data(card, **overrides):
    data = {"idempotency_key": str(uuid.uuid4()), "rating": "3", "answer": "My answer"}
    data.update(overrides)
    return data


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("practice:session"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_session_shows_the_next_new_question_and_introduces_its_card(client, user):
    question = QuestionFactory(title="Stale refund policy")
    response = client.get(reverse("practice:session"))
    assert response.status_code == 200
    assert b"Stale refund policy" in response.content and b"Reveal answer" in response.content
    assert Card.objects.get(user=user).question == question


def test_reveal_shows_model_answer_rubric_and_escapes_the_users_answer(client, user):
    QuestionFactory()
    card_id = client.get(reverse("practice:session")).context["card"].pk
    response = client.post(
        reverse("practice:reveal", args=[card_id]),
        {"answer": "<script>alert('x')</script>", "idempotency_key": str(uuid.uuid4())},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<strong>index freshness</strong>" in body  # model answer, rendered Markdown
    assert "Point 3" in body and 'name="rubric_hits"' in body
    assert "<script>alert" not in body and "&lt;script&gt;alert" in body
    assert "<html" not in body  # htmx gets the partial only


def test_reveal_marks_choice_correctness_and_suggests_a_rating(client, user):
    ChoiceQuestionFactory()
    card_id = client.get(reverse("practice:session")).context["card"].pk
    url = reverse("practice:reveal", args=[card_id])
    wrong = client.post(url, {"choices": "1", "idempotency_key": str(uuid.uuid4())}, **HTMX)
    assert b"Not quite" in wrong.content and checked_rating(wrong) == Review.Rating.AGAIN
    right = client.post(url, {"choices": "2", "idempotency_key": str(uuid.uuid4())}, **HTMX)
    assert b"Correct" in right.content and checked_rating(right) == Review.Rating.GOOD


def test_rating_suggestion_follows_rubric_coverage(client, user):
    QuestionFactory()  # rubric weights 1, 2, 3
    card_id = client.get(reverse("practice:session")).context["card"].pk
    url = reverse("practice:suggest", args=[card_id])
    key = str(uuid.uuid4())
    for hits, expected in ((["1"], 1), (["3"], 2), (["2", "3"], 3), (["1", "2", "3"], 3)):
        response = client.post(url, {"idempotency_key": key, "rubric_hits": hits}, **HTMX)
        assert checked_rating(response) == expected, hits


def test_grade_records_a_review_and_returns_the_next_card_partial(client, user):
    QuestionFactory(title="First")
    QuestionFactory(title="Second")
    card = client.get(reverse("practice:session")).context["card"]
    response = client.post(
        reverse("practice:grade", args=[card.pk]), grade_data(card, rubric_hits=["1", "2"]), **HTMX
    )
    assert response.status_code == 200
    review = Review.objects.get()
    assert (review.rating, review.rubric_hits, review.answer) == (3, [1, 2], "My answer")
    body = response.content.decode()
    assert "Second" in body and "Reveal answer" in body
    assert "comes back" in body and "“First”" in body
    assert 'id="practice-card"' in body and "<html" not in body


def test_double_submitted_grade_creates_one_review(client, user):
    QuestionFactory()
    QuestionFactory()
    card = client.get(reverse("practice:session")).context["card"]
    data = grade_data(card)
    first = client.post(reverse("practice:grade", args=[card.pk]), data)
    second = client.post(reverse("practice:grade", args=[card.pk]), data)
    assert first.status_code == second.status_code == 200
    assert Review.objects.count() == 1


@pytest.mark.parametrize("name", ["reveal", "grade", "suggest"])
def test_another_users_card_answers_404(client, user, name):
    other_card = card_introduce(user=UserFactory(), question=QuestionFactory())
    response = client.post(reverse(f"practice:{name}", args=[other_card.pk]), grade_data(other_card))
    assert response.status_code == 404
    assert client.post(reverse(f"practice:{name}", args=[999999]), {}).status_code == 404
    assert not Review.objects.exists()


@pytest.mark.parametrize("rating", ["5", "0", "good", ""])
def test_forged_rating_is_refused_with_a_message_and_changes_nothing(client, user, rating):
    QuestionFactory()
    card = client.get(reverse("practice:session")).context["card"]
    response = client.post(reverse("practice:grade", args=[card.pk]), grade_data(card, rating=rating), **HTMX)
    assert response.status_code == 422
    assert not Review.objects.exists()
    card.refresh_from_db()
    assert card.reps == 0


def test_foreign_rubric_point_or_choice_is_refused(client, user):
    ChoiceQuestionFactory()
    card = client.get(reverse("practice:session")).context["card"]
    url = reverse("practice:grade", args=[card.pk])
    assert client.post(url, grade_data(card, rubric_hits=["99"])).status_code == 422
    assert client.post(url, grade_data(card, choices=["7"])).status_code == 422
    assert not Review.objects.exists()


def test_oversized_answer_is_refused_with_a_message(client, user, settings):
    QuestionFactory()
    card = client.get(reverse("practice:session")).context["card"]
    huge = "x" * (settings.MAX_ANSWER_CHARS + 1)
    response = client.post(
        reverse("practice:reveal", args=[card.pk]), {"answer": huge, "idempotency_key": str(uuid.uuid4())}
    )
    assert response.status_code == 422
    assert "the limit is 10,000" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()  # the answer box is marked
    response = client.post(reverse("practice:grade", args=[card.pk]), grade_data(card, answer=huge))
    assert response.status_code == 422 and not Review.objects.exists()


def test_empty_state_says_when_the_next_review_is_and_offers_more(client, user):
    user.profile.new_per_day = 1
    user.profile.save()
    QuestionFactory()
    QuestionFactory()
    card = client.get(reverse("practice:session")).context["card"]
    client.post(reverse("practice:grade", args=[card.pk]), grade_data(card, rating="4"))
    response = client.get(reverse("practice:session"))
    body = response.content.decode()
    assert "All done for today" in body and "next review is due" in body
    assert "1 question in your tracks you have not seen yet" in body
    client.post(reverse("practice:learn_more"))
    assert client.get(reverse("practice:session")).context["stage"] == "answer"


def test_due_reviews_come_before_new_questions(client, user):
    old, new = QuestionFactory(title="Old one"), QuestionFactory(title="Never seen")
    card = card_introduce(user=user, question=old)
    Card.objects.filter(pk=card.pk).update(reps=3, state=2, due=timezone.now() - timedelta(days=1))
    assert client.get(reverse("practice:session")).context["card"].question == old
    assert not Card.objects.filter(user=user, question=new).exists()  # still waiting as new


def test_questions_outside_the_candidates_track_are_not_shown(client, user):
    user.profile.track = "ml-engineer"
    user.profile.save()
    QuestionFactory()  # ai-engineer
    assert client.get(reverse("practice:session")).context["stage"] == "done"


def _grade_next_queries(client, user) -> int:
    card = client.get(reverse("practice:session")).context["card"]
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("practice:grade", args=[card.pk]), grade_data(card), **HTMX)
    assert response.status_code == 200 and b"Reveal answer" in response.content
    return len(queries)


def _history(user, questions: int):
    """`questions` published questions, all but one already reviewed once (due now)."""
    from questions.models import RubricPoint, Track

    track = Track.objects.get(slug="ai-engineer")
    made = Question.objects.bulk_create(
        Question(slug=f"bulk-{i}", track=track, kind="free-text", difficulty=2, title=f"Bulk {i}",
                 prompt="p", answer="a", explanation="e")
        for i in range(questions)
    )  # fmt: skip
    RubricPoint.objects.bulk_create(
        RubricPoint(question=q, position=p, text="r", weight=1) for q in made for p in (1, 2, 3)
    )
    reviewed_once_and_due(user, made[:-1])


def test_grade_then_next_card_query_count_does_not_grow_with_history(client, user):
    _history(user, 10)
    small = _grade_next_queries(client, user)
    Review.objects.all().delete()
    Card.objects.all().delete()
    Question.objects.filter(slug__startswith="bulk-").delete()
    _history(user, 2000)
    large = _grade_next_queries(client, user)
    assert small == large
    # session, user+profile, card; savepoint, card locked, day loads, review, card, profile
    # counters, release; today's counts, next card, its content (4, cold cache), due count
    assert large == 17


def test_choices_are_shuffled_per_card_and_stay_put_between_answer_and_reveal(client, user):
    from prep.practice.selectors import display_choices

    ChoiceQuestionFactory()
    card = client.get(reverse("practice:session")).context["card"]
    order = [c.position for c in display_choices(card)]
    assert sorted(order) == [1, 2, 3]
    page = client.get(reverse("practice:session")).content.decode()
    assert [int(p) for p in re.findall(r'name="choices" value="(\d)"', page)] == order
    reveal = client.post(
        reverse("practice:reveal", args=[card.pk]), {"choices": "2", "idempotency_key": str(uuid.uuid4())}
    ).content.decode()
    assert [reveal.index(f"Option {p}") for p in order] == sorted(reveal.index(f"Option {p}") for p in order)
    orders = {
        tuple(c.position for c in display_choices(Card(pk=pk, question=card.question))) for pk in range(1, 30)
    }
    assert len(orders) > 1  # different cards, different orders


def test_grade_records_how_long_the_answer_took_clamped_to_an_hour(client, user):
    import time

    QuestionFactory()
    QuestionFactory()
    card = client.get(reverse("practice:session")).context["card"]
    client.post(reverse("practice:grade", args=[card.pk]), grade_data(card, shown_at=str(time.time() - 42)))
    assert 41 <= Review.objects.get().duration_seconds <= 44
    other = client.get(reverse("practice:session")).context["card"]
    client.post(reverse("practice:grade", args=[other.pk]), grade_data(other, shown_at="0"))
    assert Review.objects.get(card=other).duration_seconds is None  # no timestamp, no duration
    client.post(reverse("practice:grade", args=[other.pk]), grade_data(other, shown_at="1000"))
    assert Review.objects.filter(card=other).latest("reviewed_at").duration_seconds == 3600


def test_pause_and_resume_from_the_settings_page(client, user):
    settings_url = reverse("accounts:settings")
    response = client.post(reverse("practice:pause"), {"days": "99"}, follow=True)
    assert "Pause for 1 to 60 days." in response.content.decode()
    user.profile.refresh_from_db()
    assert user.profile.paused_until is None
    response = client.post(reverse("practice:pause"), {"days": "7"}, follow=True)
    assert response.redirect_chain[-1][0] == settings_url and "Paused until" in response.content.decode()
    assert "Resume now" in client.get(settings_url).content.decode()
    assert client.get(reverse("practice:session")).context["stage"] == "paused"
    client.post(reverse("practice:resume"))
    user.profile.refresh_from_db()
    assert user.profile.paused_until is None


def test_practice_bar_counts_due_reviews_up_to_the_cap(client, user):
    from prep.practice.selectors import DUE_COUNT_CAP

    user.profile.reviews_per_day = 500
    user.profile.save()
    _history(user, DUE_COUNT_CAP + 3)  # one more than the cap stays unseen, the rest are due
    response = client.get(reverse("practice:session"))
    assert response.context["due_now"] == DUE_COUNT_CAP + 1  # counting stopped past the cap
    assert f"<strong>{DUE_COUNT_CAP}+</strong> due" in response.content.decode()
    Card.objects.filter(pk__in=Card.objects.filter(user=user).values("pk")[:3]).delete()
    assert b"<strong>99</strong> due" in client.get(reverse("practice:session")).content


def test_an_edited_question_shows_its_new_text_at_once(client, user):
    question = QuestionFactory(title="Cache the embeddings?", prompt="Old prompt")
    assert b"Old prompt" in client.get(reverse("practice:session")).content  # the article is cached now
    question.title, question.prompt, question.version = "Cache the retrieval results?", "New prompt", 2
    question.save()
    page = client.get(reverse("practice:session")).content.decode()
    assert "New prompt" in page and "Cache the retrieval results?" in page and "Old prompt" not in page
