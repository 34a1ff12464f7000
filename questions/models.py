from django.db import models


class Track(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="topics")
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["track__slug", "name"]

    def __str__(self) -> str:
        return self.name


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Question.Status.PUBLISHED)

    def for_tracks(self, track_slugs):
        return self.filter(track__slug__in=track_slugs)

    def with_content(self):
        """Everything a practice card or an export shows, in a fixed number of queries."""
        return self.select_related("track").prefetch_related("topics", "choices", "rubric_points")


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE_CHOICE = "single-choice", "Single choice"
        MULTI_CHOICE = "multi-choice", "Multiple choice"
        FREE_TEXT = "free-text", "Free text"
        SYSTEM_DESIGN = "system-design", "System design"
        CODE_READING = "code-reading", "Code reading"

    class Difficulty(models.IntegerChoices):
        EASY = 1, "easy"
        MEDIUM = 2, "medium"
        HARD = 3, "hard"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    slug = models.SlugField(max_length=80, unique=True)
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="questions")
    topics = models.ManyToManyField(Topic, related_name="questions")
    kind = models.CharField(max_length=16, choices=Kind)
    difficulty = models.PositiveSmallIntegerField(choices=Difficulty)
    title = models.CharField(max_length=120)
    time_minutes = models.PositiveSmallIntegerField(default=5)
    status = models.CharField(max_length=16, choices=Status, default=Status.PUBLISHED)
    prompt = models.TextField()
    answer = models.TextField()
    explanation = models.TextField()
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["difficulty", "id"]
        indexes = [models.Index(fields=["status", "track", "difficulty"])]

    def __str__(self) -> str:
        return self.title

    @property
    def has_choices(self) -> bool:
        return self.kind in (self.Kind.SINGLE_CHOICE, self.Kind.MULTI_CHOICE)


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)
    why = models.CharField(max_length=300)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="choice_position_unique")
        ]

    def __str__(self) -> str:
        return self.text


class RubricPoint(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="rubric_points")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    weight = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="rubric_position_unique")
        ]

    def __str__(self) -> str:
        return self.text
