"""Authentication backends that load the user and profile of a session with one plain query.

Django's backends load the user on every request through the ORM (prep/db.py says why that
matters here). Logging in is unchanged: email through allauth, username for the admin.
"""

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends as django_backends

from prep.accounts.selectors import user_with_profile


class _UserWithProfile:
    def get_user(self, user_id):
        user = user_with_profile(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_UserWithProfile, django_backends.ModelBackend):
    pass


class AuthenticationBackend(_UserWithProfile, allauth_backends.AuthenticationBackend):
    pass
