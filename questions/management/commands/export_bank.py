from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questions.bankfile import TRACKS, dump_bank
from questions.selectors import bank_export


class Command(BaseCommand):
    help = "Write a track's topics and questions in the bank format (stdout or --output FILE)."

    def add_arguments(self, parser):
        parser.add_argument("--track", required=True, help=f"one of: {', '.join(TRACKS)}")
        parser.add_argument("--output", help="file to write instead of standard output")

    def handle(self, *args, track, output, **options):
        if track not in TRACKS:
            raise CommandError(f"Unknown track '{track}'; choose one of: {', '.join(TRACKS)}.")
        text = dump_bank(bank_export(track_slug=track))
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(text, ending="")
