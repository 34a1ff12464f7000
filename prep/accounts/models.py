import zoneinfo
from datetime import date, datetime

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from prep.accounts.days import day_start, local_day


class UserWithProfileManager(UserManager):
    # Every page reads the profile (track, timezone, limits): load it with the user, one query.
    def get_queryset(self):
        return super().get_queryset().select_related("profile")


class User(AbstractUser):
    """Our own user model from day one, so it can grow without a painful swap later."""

    objects = UserWithProfileManager()


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"'{value}' is not a known time zone (e.g. Europe/London).")


class Profile(models.Model):
    class Track(models.TextChoices):
        AI_ENGINEER = "ai-engineer", "AI Engineer"
        ML_ENGINEER = "ml-engineer", "ML Engineer"
        BOTH = "both", "Both tracks"

    class Role(models.TextChoices):
        CANDIDATE = "candidate", "Candidate"
        COACH = "coach", "Coach"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=16, choices=Role, default=Role.CANDIDATE)
    track = models.CharField(max_length=16, choices=Track, default=Track.BOTH)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    desired_retention = models.FloatField(
        default=0.9,
        validators=[MinValueValidator(0.7), MaxValueValidator(0.97)],
        help_text="The chance you want of still remembering an answer when it comes back. "
        "Higher means more reviews.",
    )
    new_per_day = models.PositiveSmallIntegerField(
        default=10,
        validators=[MaxValueValidator(200)],
        help_text="How many questions you have not seen before to introduce each day.",
    )
    reviews_per_day = models.PositiveSmallIntegerField(
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text="The most reviews to show in one day; the rest wait until tomorrow.",
    )
    day_rollover_hour = models.PositiveSmallIntegerField(
        default=4,
        validators=[MaxValueValidator(23)],
        help_text="Your day starts at this hour, so late-night practice counts for the day before.",
    )
    interview_date = models.DateField(
        null=True,
        blank=True,
        help_text="Set it and Prep aims your schedule at that day: every question is introduced in "
        "time and nothing you are learning skips past it.",
    )
    reminder_hour = models.PositiveSmallIntegerField(
        default=8,
        validators=[MaxValueValidator(23)],
        help_text="Local hour for the daily email when reviews are due.",
    )
    email_reminders = models.BooleanField(
        default=True, help_text="A short daily email when you have reviews due or an interview coming."
    )
    # Practice resumes on this local day; reviews were shifted when the pause began.
    paused_until = models.DateField(null=True, blank=True)
    # Consecutive local days with at least one review, up to last_practice_day.
    streak_days = models.PositiveIntegerField(default=0)
    last_practice_day = models.DateField(null=True, blank=True)
    # Reviews graded since the parameters in force were fitted (drives refitting).
    reviews_since_fit = models.PositiveIntegerField(default=0)
    # The FSRS parameters in force (None: the package defaults) and their version (0: defaults);
    # every fitted version is kept in practice.ParameterSet for replay.
    fsrs_parameters = models.JSONField(null=True, blank=True)
    parameters_version = models.PositiveIntegerField(default=0)
    # "Learn more" on the empty state raises today's new-question limit for that day only.
    extra_new_day = models.DateField(null=True, blank=True)
    extra_new_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        # The hourly digest job selects by time zone and reminder hour.
        indexes = [models.Index(fields=["timezone", "reminder_hour"])]

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    def day_start(self, at: datetime) -> datetime:
        """When the candidate's day containing `at` began (their time zone and rollover hour)."""
        return day_start(at, timezone=self.timezone, rollover_hour=self.day_rollover_hour)

    def local_day(self, at: datetime) -> date:
        """The candidate's own date at `at`."""
        return local_day(at, timezone=self.timezone, rollover_hour=self.day_rollover_hour)

    def is_paused(self, now: datetime) -> bool:
        return bool(self.paused_until and self.paused_until > self.local_day(now))

    def current_streak(self, today: date) -> int:
        """The streak still alive on `today` (practised today or yesterday), else 0."""
        last = self.last_practice_day
        return self.streak_days if last is not None and (today - last).days <= 1 else 0

    @property
    def track_slugs(self) -> list[str]:
        if self.track == self.Track.BOTH:
            return [self.Track.AI_ENGINEER, self.Track.ML_ENGINEER]
        return [self.track]
