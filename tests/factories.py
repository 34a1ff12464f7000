import uuid

import factory
from allauth.account.models import EmailAddress

from prep.accounts.models import Profile, User
from questions.models import Choice, Question, RubricPoint, Topic, Track


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.com")
    email = factory.SelfAttribute("username")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def with_profile(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)
            Profile.objects.create(user=self, **kwargs)


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track
        django_get_or_create = ("slug",)

    slug = "ai-engineer"
    name = "AI Engineer"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    track = factory.SubFactory(TrackFactory)
    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    """A published free-text question with three rubric points (weights 1, 2, 3)."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"question-{n}")
    track = factory.SubFactory(TrackFactory)
    kind = Question.Kind.FREE_TEXT
    difficulty = Question.Difficulty.MEDIUM
    title = factory.Sequence(lambda n: f"Question {n}")
    prompt = "Your RAG bot cites a stale policy. What do you check first?"
    answer = "Check the **index freshness** first."
    explanation = "Stale indexes are the usual cause."

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create:
            self.topics.set(extracted or [TopicFactory(track=self.track)])

    @factory.post_generation
    def rubric(self, create, extracted, **kwargs):
        if create:
            for position, weight in enumerate(extracted or (1, 2, 3), start=1):
                RubricPoint.objects.create(
                    question=self, position=position, text=f"Point {position}", weight=weight
                )


class ChoiceQuestionFactory(QuestionFactory):
    """A single-choice question whose second choice is the correct one."""

    kind = Question.Kind.SINGLE_CHOICE

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        if create:
            for position in (1, 2, 3):
                Choice.objects.create(
                    question=self,
                    position=position,
                    text=f"Option {position}",
                    is_correct=position == 2,
                    why=f"Why {position}",
                )


def reviewed_once_and_due(user, questions, *, now=None) -> list:
    """A history at scale, bulk-created: a card per question, each reviewed once (Good) three
    days ago and due an hour ago. Used by the query-count tests and the benchmarks."""
    from datetime import timedelta

    from django.utils import timezone

    from prep.practice.models import Card, Review

    now = now or timezone.now()
    cards = Card.objects.bulk_create(
        Card(user=user, question=q, state=2, stability=3.0, difficulty=5.0, reps=1,
             due=now - timedelta(hours=1, seconds=i), last_review=now - timedelta(days=3))
        for i, q in enumerate(questions)
    )  # fmt: skip
    Review.objects.bulk_create(
        Review(user=user, card=c, rating=3, question_version=1, reviewed_at=now - timedelta(days=3),
               idempotency_key=uuid.uuid4(), desired_retention=0.9, was_new=True)
        for c in cards
    )  # fmt: skip
    return cards


def field_values(instance) -> dict:
    """Every stored field of a model instance, to compare two loads of the same row."""
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}
