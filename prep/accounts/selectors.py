from prep import db
from prep.accounts.models import Profile, User

_USER_WITH_PROFILE = (
    f"SELECT {db.columns(User, 'u')}, {db.columns(Profile, 'p')}"
    " FROM accounts_user u LEFT JOIN accounts_profile p ON p.user_id = u.id WHERE u.id = %s"
)


def user_with_profile(user_id: int) -> User | None:
    """The user with their profile loaded (None if there is no such user), in one query: every
    page reads both."""
    row = db.fetch_one(_USER_WITH_PROFILE, [user_id])
    if row is None:
        return None
    split = len(User._meta.concrete_fields)
    user = db.instance(User, row[:split])
    if row[split] is not None:
        user.profile = db.instance(Profile, row[split:])
    return user


def profile_for(user) -> Profile:
    """The user's profile. Users made outside sign-up (createsuperuser) get one on first use."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        profile, _ = Profile.objects.get_or_create(user=user)
        user.profile = profile
        return profile
