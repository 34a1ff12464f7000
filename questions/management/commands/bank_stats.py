from django.core.management.base import BaseCommand

from questions.models import Question
from questions.selectors import bank_stats


class Command(BaseCommand):
    help = "Print published question counts by track, topic, kind and difficulty."

    def handle(self, *args, **options):
        stats = bank_stats()
        difficulty = dict(Question.Difficulty.choices)
        self.stdout.write("## By track\n")
        for track, n in sorted(stats["track"].items()):
            self.stdout.write(f"- {track}: {n}")
        for title, key in (("topic", "topic"), ("kind", "kind"), ("difficulty", "difficulty")):
            self.stdout.write(f"\n## By {title}\n")
            for (track, value), n in sorted(stats[key].items()):
                label = difficulty.get(value, value) if key == "difficulty" else value
                self.stdout.write(f"- {track} / {label}: {n}")
