from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from prep.practice.digests import digests_create, digests_send, unsubscribe_token
from prep.practice.models import Card, Digest
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)  # 08:30 in London, 17:30 in Tokyo


def with_due_card(user, due=NOW - timedelta(hours=2)):
    Card.objects.create(user=user, question=QuestionFactory(), reps=1, state=2, stability=3.0, difficulty=5.0,
                        due=due, last_review=due - timedelta(days=3))  # fmt: skip
    return user


def candidate(**profile):
    return UserFactory(**{f"with_profile__{k}": v for k, v in profile.items()})


def test_selects_candidates_whose_local_reminder_hour_has_come():
    london_due = with_due_card(candidate(timezone="Europe/London", reminder_hour=8))
    with_due_card(candidate(timezone="Europe/London", reminder_hour=9))  # not yet
    tokyo = with_due_card(candidate(timezone="Asia/Tokyo", reminder_hour=17))
    with_due_card(candidate(timezone="Asia/Tokyo", reminder_hour=18))  # not yet
    digests_create(now=NOW)
    assert set(Digest.objects.values_list("user_id", "local_date")) == {
        (london_due.pk, date(2026, 12, 1)),
        (tokyo.pk, date(2026, 12, 1)),
    }


def test_skips_nothing_due_opted_out_and_paused_but_not_an_interview_soon():
    candidate(reminder_hour=0)  # nothing due, no interview
    with_due_card(candidate(reminder_hour=0, email_reminders=False))
    with_due_card(candidate(reminder_hour=0, paused_until=date(2026, 12, 5)))
    with_due_card(candidate(reminder_hour=0), due=NOW + timedelta(days=2))  # due later, not today
    soon = candidate(reminder_hour=0, interview_date=date(2026, 12, 10))
    candidate(reminder_hour=0, interview_date=date(2027, 2, 1))  # not soon
    digests_create(now=NOW)
    assert list(Digest.objects.values_list("user_id", flat=True)) == [soon.pk]


def test_a_second_run_adds_nothing_and_sending_twice_sends_once():
    user = with_due_card(candidate(reminder_hour=0))
    first = digests_create(now=NOW)
    assert digests_create(now=NOW + timedelta(minutes=30)) == []  # the row exists: nothing new
    assert Digest.objects.count() == 1
    assert digests_send(digest_ids=first) == 1
    assert digests_send(digest_ids=first) == 0
    assert digests_create(now=NOW + timedelta(hours=1)) == []  # sent today: nothing pending
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email] and message.subject == "[Prep] 1 review due today"
    assert "/practice/" in message.body and "/practice/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.alternatives[0][0]
    assert "Practise now" in html


def test_email_names_the_interview_and_the_streak():
    user = candidate(reminder_hour=0, interview_date=date(2026, 12, 4), streak_days=6,
                     last_practice_day=date(2026, 11, 30))  # fmt: skip
    digests_send(digest_ids=digests_create(now=NOW))
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "[Prep] Your interview is in 3 days"
    assert "in 3 days" in body and "Streak: 6 days: practise today to keep it." in body
    assert user.email in mail.outbox[0].to


def test_selection_is_set_based(django_assert_max_num_queries):
    for _ in range(3):
        with_due_card(candidate(reminder_hour=0))
    with django_assert_max_num_queries(2):  # the zones, then one INSERT ... SELECT per zone group
        digests_create(now=NOW)
    for _ in range(40):
        with_due_card(candidate(reminder_hour=0))
    with django_assert_max_num_queries(2):
        digests_create(now=NOW + timedelta(minutes=1))
    assert Digest.objects.count() == 43


def test_send_reads_due_counts_for_the_batch_at_once(django_assert_max_num_queries):
    for _ in range(10):
        with_due_card(candidate(reminder_hour=0))
    ids = digests_create(now=NOW)
    # digests + one count per time zone, then per digest: claim, mark (+ savepoints)
    with django_assert_max_num_queries(2 + 10 * 4):
        assert digests_send(digest_ids=ids) == 10


def test_unsubscribe_link_asks_once_then_stops_the_emails(client):
    user = candidate()
    url = reverse("practice:unsubscribe", args=[unsubscribe_token(user.pk)])
    page = client.get(url)
    assert page.status_code == 200 and b"Stop daily emails" in page.content
    user.profile.refresh_from_db()
    assert user.profile.email_reminders  # a GET (a link scanner) changes nothing
    assert client.post(url).status_code == 200
    user.profile.refresh_from_db()
    assert not user.profile.email_reminders


def test_a_forged_unsubscribe_token_answers_404(client):
    assert client.get(reverse("practice:unsubscribe", args=["not-a-token"])).status_code == 404
    assert client.post(reverse("practice:unsubscribe", args=["1:forged"])).status_code == 404


def test_nothing_left_to_say_closes_the_digest_without_mail():
    user = with_due_card(candidate(reminder_hour=0))
    ids = digests_create(now=NOW)
    Card.objects.filter(user=user).update(due=NOW + timedelta(days=5))  # practised meanwhile
    assert digests_send(digest_ids=ids) == 0
    assert not mail.outbox and Digest.objects.get().sent_at is not None
