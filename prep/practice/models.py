from django.conf import settings
from django.db import models

from questions.models import Question


class Card(models.Model):
    """One user's memory of one question: a projection of that user's Reviews of it.

    Replaying the card's Reviews through the scheduler reproduces every field below
    (tested), so the Review log is the record and this row is a fast index over it.
    """

    class State(models.IntegerChoices):
        NEW = 0, "New"
        LEARNING = 1, "Learning"
        REVIEW = 2, "Review"
        RELEARNING = 3, "Relearning"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cards")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="cards")
    state = models.PositiveSmallIntegerField(choices=State, default=State.NEW)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="card_user_question_unique")]
        indexes = [models.Index(fields=["user", "due"])]

    def __str__(self) -> str:
        return f"{self.user} / {self.question}"

    @property
    def is_new(self) -> bool:
        """Never answered yet."""
        return self.reps == 0


class Review(models.Model):
    """An immutable record of one grade. Never updated, never deleted with the question."""

    class Rating(models.IntegerChoices):
        AGAIN = 1, "Again"
        HARD = 2, "Hard"
        GOOD = 3, "Good"
        EASY = 4, "Easy"

    class Source(models.TextChoices):
        PRACTICE = "practice", "Practice"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField(choices=Rating)
    answer = models.TextField(blank=True)
    # Positions (not ids) of what was ticked or picked, with the question version they refer to:
    # bank edits replace choices and rubric points, history must still read correctly.
    rubric_hits = models.JSONField(default=list, blank=True)
    choices_picked = models.JSONField(default=list, blank=True)
    question_version = models.PositiveIntegerField()
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    reviewed_at = models.DateTimeField()
    source = models.CharField(max_length=16, choices=Source, default=Source.PRACTICE)
    idempotency_key = models.UUIDField()
    was_new = models.BooleanField(default=False)
    # The scheduler inputs besides the card, and its output after fuzz, load balancing and the
    # interview cap (which depend on other cards): what replay needs to reproduce the card.
    desired_retention = models.FloatField()
    parameters_version = models.PositiveIntegerField(default=0)  # 0: fsrs defaults
    scheduled_due = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "idempotency_key"], name="review_idempotency_unique")
        ]
        indexes = [
            models.Index(fields=["user", "reviewed_at"]),
            models.Index(fields=["card", "reviewed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} rated {self.get_rating_display()} at {self.reviewed_at:%Y-%m-%d %H:%M}"


class ParameterSet(models.Model):
    """FSRS parameters fitted on one user's review log; versions are kept for replay."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="parameter_sets"
    )
    version = models.PositiveIntegerField()
    parameters = models.JSONField()
    review_count = models.PositiveIntegerField()
    log_loss = models.FloatField()
    default_log_loss = models.FloatField(help_text="Log loss of the default parameters on the same reviews.")
    fitted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="parameter_set_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} v{self.version} ({self.review_count} reviews)"


class ScheduleShift(models.Model):
    """A pause: every practised card's due date moved by `days` at `created_at` (replayed too)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="schedule_shifts"
    )
    days = models.IntegerField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user} shifted {self.days:+d} days at {self.created_at:%Y-%m-%d}"


class Digest(models.Model):
    """One daily reminder email per user per local day; the unique row makes sending exactly-once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    local_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "local_date"], name="digest_user_day_unique")]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return f"digest {self.user} {self.local_date}"


class FitRequest(models.Model):
    """Fit this user's FSRS parameters. A row first, then a task: a lost message is re-sent by
    the sweep, and at most one request per user is open at a time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fit_requests")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(done_at__isnull=True), name="fit_request_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"fit {self.user} ({'done' if self.done_at else 'open'})"
