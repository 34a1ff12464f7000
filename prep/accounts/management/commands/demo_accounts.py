from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from prep.accounts.models import Profile, User
from prep.accounts.services import user_create

DEMO_PASSWORD = "prep-demo-2026"  # noqa: S105 - development only; refused when DEBUG is off
DEMO_ACCOUNTS = [
    ("candidate@prep.local", Profile.Role.CANDIDATE, {}),
    ("coach@prep.local", Profile.Role.COACH, {}),
    ("admin@prep.local", Profile.Role.CANDIDATE, {"is_staff": True, "is_superuser": True}),
]


class Command(BaseCommand):
    help = "Create the demo candidate, coach and admin (idempotent) and print their logins."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts have a published password: refused when DEBUG is off.")
        for email, role, flags in DEMO_ACCOUNTS:
            if not User.objects.filter(email=email).exists():
                user_create(email=email, password=DEMO_PASSWORD, role=role, **flags)
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for email, role, flags in DEMO_ACCOUNTS:
            kind = "admin" if flags else role
            self.stdout.write(f"  {kind:<10} {email}")
