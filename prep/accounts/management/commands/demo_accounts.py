from django.core.management.base import BaseCommand

from prep.accounts.models import Profile, User
from prep.accounts.services import user_create

DEMO_PASSWORD = "prep-demo-2026"
DEMO_ACCOUNTS = [
    ("candidate@prep.local", Profile.Role.CANDIDATE, {}),
    ("coach@prep.local", Profile.Role.COACH, {}),
    ("admin@prep.local", Profile.Role.CANDIDATE, {"is_staff": True, "is_superuser": True}),
]


class Command(BaseCommand):
    help = "Create the demo candidate, coach and admin (idempotent) and print their logins."

    def handle(self, *args, **options):
        for email, role, flags in DEMO_ACCOUNTS:
            if not User.objects.filter(email=email).exists():
                user_create(email=email, password=DEMO_PASSWORD, role=role, **flags)
        self.stdout.write("Demo accounts (password for all: %s):" % DEMO_PASSWORD)
        for email, role, flags in DEMO_ACCOUNTS:
            kind = "admin" if flags else role
            self.stdout.write(f"  {kind:<10} {email}")
