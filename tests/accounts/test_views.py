import pytest
from django.core import mail
from django.urls import reverse

from prep.accounts.models import Profile, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-unusual-passphrase-42"
# The settings form with every field valid (the defaults); tests change what they need.
VALID_SETTINGS = {
    "track": "both",
    "timezone": "UTC",
    "desired_retention": "0.9",
    "new_per_day": "10",
    "reviews_per_day": "100",
    "day_rollover_hour": "4",
    "reminder_hour": "8",
    "email_reminders": "on",
    "interview_date": "",
}


def test_sign_up_with_email_creates_a_profile_with_defaults(client):
    response = client.post(
        reverse("account_signup"), {"email": "ada@example.com", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:settings")
    profile = User.objects.get(email="ada@example.com").profile
    assert (profile.track, profile.desired_retention, profile.new_per_day, profile.reviews_per_day) == (
        "both",
        0.9,
        10,
        100,
    )


def test_log_in_with_email_then_log_out(client):
    UserFactory(email="bo@example.com", username="bo@example.com")
    response = client.post(
        reverse("account_login"), {"login": "bo@example.com", "password": "correct horse battery"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("practice:session")
    assert client.get(reverse("practice:session")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("practice:session")).status_code == 302


def test_password_reset_sends_an_email(client):
    UserFactory(email="cy@example.com", username="cy@example.com")
    client.post(reverse("account_reset_password"), {"email": "cy@example.com"})
    assert len(mail.outbox) == 1 and "cy@example.com" in mail.outbox[0].to
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_settings_page_saves_valid_preferences(client):
    user = UserFactory()
    client.force_login(user)
    assert b"Desired retention" in client.get(reverse("accounts:settings")).content
    response = client.post(
        reverse("accounts:settings"),
        {**VALID_SETTINGS, "track": "ml-engineer", "timezone": "Europe/London", "desired_retention": "0.85",
         "new_per_day": "15", "reviews_per_day": "150", "day_rollover_hour": "5", "reminder_hour": "7",
         "interview_date": "2031-03-02", "email_reminders": ""},
    )  # fmt: skip
    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    assert (profile.track, profile.timezone, profile.desired_retention, profile.new_per_day) == (
        "ml-engineer",
        "Europe/London",
        0.85,
        15,
    )
    assert (str(profile.interview_date), profile.reminder_hour, profile.email_reminders) == (
        "2031-03-02",
        7,
        False,
    )


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("desired_retention", "0.5", "greater than or equal to 0.7"),
        ("timezone", "Mars/Olympus", "Select a valid choice"),
        ("reviews_per_day", "0", "greater than or equal to 1"),
        ("track", "frontend", "Select a valid choice"),
        ("interview_date", "2020-01-01", "That date has passed"),
        ("reminder_hour", "24", "less than or equal to 23"),
    ],
)
def test_settings_page_refuses_bad_values_and_changes_nothing(client, field, value, message):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:settings"), {**VALID_SETTINGS, field: value})
    assert response.status_code == 422
    assert message in response.content.decode() and "nothing was saved" in response.content.decode()
    profile = Profile.objects.get(user=user)
    assert (profile.track, profile.timezone, profile.desired_retention, profile.reviews_per_day) == (
        "both",
        "UTC",
        0.9,
        100,
    )


def test_home_page_offers_sign_up_and_sends_members_to_practice(client):
    assert b"Start practising" in client.get("/").content
    client.force_login(UserFactory())
    assert client.get("/")["Location"] == reverse("practice:session")


def test_demo_accounts_command_is_idempotent_and_prints_logins(capsys, settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("demo_accounts")
    call_command("demo_accounts")
    out = capsys.readouterr().out
    assert "candidate@prep.local" in out and "prep-demo-2026" in out
    assert User.objects.filter(email__endswith="@prep.local").count() == 3
    assert User.objects.get(email="admin@prep.local").is_superuser


def test_demo_accounts_are_refused_in_production(settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    with pytest.raises(CommandError, match="refused when DEBUG is off"):
        call_command("demo_accounts")
    assert not User.objects.exists()
