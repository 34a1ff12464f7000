from allauth.account.models import EmailAddress
from django.db import transaction

from prep.accounts.models import Profile, User


@transaction.atomic
def profile_update(*, user: User, **fields) -> Profile:
    """Change the candidate's preferences; validates every field before saving."""
    profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    user.profile = profile
    return profile


@transaction.atomic
def user_create(*, email: str, password: str, role: str = Profile.Role.CANDIDATE, **flags) -> User:
    """A user with a profile (demo accounts, tests); sign-up goes through allauth's adapter."""
    user = User(username=email, email=email, **flags)
    user.set_password(password)
    user.full_clean()
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    Profile.objects.create(user=user, role=role)
    return user


def reminders_unsubscribe(*, user_id: int) -> None:
    """Stop the daily reminder emails (idempotent)."""
    Profile.objects.filter(user_id=user_id).update(email_reminders=False)
