from django.core.management.base import BaseCommand, CommandError

from questions.bankfile import BankError
from questions.services import bank_import


class Command(BaseCommand):
    help = "Import question bank YAML files or folders (all or nothing, upsert by slug)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="bank files or folders of *.yaml files")
        parser.add_argument("--dry-run", action="store_true", help="print what would change, write nothing")

    def handle(self, *args, paths, dry_run, **options):
        try:
            report = bank_import(paths=paths, dry_run=dry_run)
        except BankError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} problem(s); nothing was imported.") from None
        if dry_run:
            for label, slugs in (
                ("would create", report.created),
                ("would update", report.updated),
                ("would create topic", report.topics_created),
                ("would update topic", report.topics_updated),
            ):
                for slug in slugs:
                    self.stdout.write(f"{label}: {slug}")
            self.stdout.write(f"dry run, nothing written. {report.summary()}")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported. {report.summary()}"))
