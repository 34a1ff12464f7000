"""The session's user and profile are loaded with one plain query; they must equal the ORM's."""

from datetime import date, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from prep.accounts.models import Profile, User
from prep.accounts.selectors import user_with_profile
from tests.factories import UserFactory, field_values

pytestmark = pytest.mark.django_db


def test_user_with_profile_equals_what_the_orm_loads(django_assert_num_queries):
    user = UserFactory(is_staff=True)
    Profile.objects.filter(user=user).update(
        fsrs_parameters=[0.2, 1.3, 2.5],
        interview_date=date(2026, 12, 11),
        paused_until=date(2026, 12, 1),
        email_reminders=False,
        desired_retention=0.85,
        timezone="Asia/Tokyo",
    )
    User.objects.filter(pk=user.pk).update(last_login=timezone.now() - timedelta(hours=3))
    with django_assert_num_queries(1):
        loaded = user_with_profile(user.pk)
        profile = loaded.profile
    expected = User.objects.get(pk=user.pk)
    assert field_values(loaded) == field_values(expected)
    assert field_values(profile) == field_values(expected.profile)
    assert loaded.last_login.tzinfo is not None and profile.fsrs_parameters == [0.2, 1.3, 2.5]
    assert loaded.is_staff is True and profile.email_reminders is False
    assert not loaded._state.adding  # a loaded row: saving it updates, never inserts


def test_user_without_a_profile_loads_and_gets_one_on_first_use(client):
    user = User.objects.create_user(username="root", email="root@example.com", password="x-long-password-1")
    loaded = user_with_profile(user.pk)
    assert loaded.pk == user.pk
    with pytest.raises(Profile.DoesNotExist):
        loaded.profile  # noqa: B018 - the attribute access is the test
    client.force_login(user)
    assert client.get(reverse("practice:session")).status_code == 200
    assert Profile.objects.filter(user=user).exists()


def test_unknown_user_is_none():
    assert user_with_profile(987654) is None


def test_inactive_user_is_logged_out(client):
    user = UserFactory()
    client.force_login(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(reverse("practice:session")).status_code == 302


def test_email_login_uses_our_backend_and_the_session_reads_back(client):
    user = UserFactory(email="di@example.com", username="di@example.com")
    response = client.post(
        reverse("account_login"), {"login": "di@example.com", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == "prep.accounts.backends.AuthenticationBackend"
    assert client.get(reverse("practice:session")).context["user"] == user


def test_expired_or_unknown_session_is_anonymous(client):
    client.force_login(UserFactory())
    assert client.get(reverse("practice:session")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("practice:session")).status_code == 302
    client.cookies["sessionid"] = "no-such-session-key"
    assert client.get(reverse("practice:session")).status_code == 302


def test_admin_signs_in_with_a_username():
    from django.test import Client

    User.objects.create_superuser(username="admin", email="admin@example.com", password="x-long-password-1")
    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": "admin", "password": "x-long-password-1", "next": "/admin/"}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_nightly_job_deletes_only_expired_sessions(client):
    from prep.accounts.tasks import sessions_clear

    client.force_login(UserFactory())
    Session.objects.create(session_key="old", session_data="", expire_date=timezone.now() - timedelta(days=1))
    assert sessions_clear() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [client.session.session_key]
    assert client.get(reverse("practice:session")).status_code == 200
