from prep.accounts.models import Profile


def profile_for(user) -> Profile:
    """The user's profile. Users made outside sign-up (createsuperuser) get one on first use."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        profile, _ = Profile.objects.get_or_create(user=user)
        user.profile = profile
        return profile
