"""Reads over the banks."""

from functools import lru_cache

from django.db.models import Count

from questions.bankfile import DIFFICULTIES, Bank, ChoiceSpec, QuestionSpec, RubricSpec, TopicSpec
from questions.models import Question, Topic


@lru_cache(maxsize=4096)
def _question_with_content(pk: int, version: int, updated_at) -> Question:
    return Question.objects.with_content().get(pk=pk)


def question_content(*, pk: int, version: int, updated_at) -> Question:
    """The question with its track, topics, choices and rubric loaded, for display.

    Cached per process by (id, version, last save): questions change rarely and are shown on
    every card, so the practice loop does not re-query them. Treat the result as read-only.
    """
    return _question_with_content(pk, version, updated_at)


def question_with_content(question: Question) -> Question:
    return question_content(pk=question.pk, version=question.version, updated_at=question.updated_at)


def topic_spec(topic: Topic) -> TopicSpec:
    return TopicSpec(slug=topic.slug, track=topic.track.slug, name=topic.name, description=topic.description)


def question_spec(question: Question) -> QuestionSpec:
    """The bank-file form of a stored question (expects Question.objects.with_content())."""
    return QuestionSpec(
        slug=question.slug,
        track=question.track.slug,
        topics=tuple(sorted(t.slug for t in question.topics.all())),
        kind=question.kind,
        difficulty=DIFFICULTIES[question.difficulty - 1],
        title=question.title,
        time_minutes=question.time_minutes,
        status=question.status,
        prompt=question.prompt,
        answer=question.answer,
        explanation=question.explanation,
        rubric=tuple(RubricSpec(text=p.text, weight=p.weight) for p in question.rubric_points.all()),
        choices=tuple(
            ChoiceSpec(text=c.text, correct=c.is_correct, why=c.why) for c in question.choices.all()
        ),
    )


def bank_export(*, track_slug: str) -> Bank:
    """Every topic and question of a track (all statuses), in the import format."""
    topics = Topic.objects.filter(track__slug=track_slug).select_related("track").order_by("slug")
    questions = Question.objects.for_tracks([track_slug]).with_content().order_by("slug")
    return Bank(topics=[topic_spec(t) for t in topics], questions=[question_spec(q) for q in questions])


def bank_stats() -> dict[str, dict]:
    """Published question counts by track, and by (track, topic / kind / difficulty)."""
    published = Question.objects.published()
    return {
        "track": _count(published, "track__name"),
        "topic": _count(published, "topics__track__slug", "topics__name"),
        "kind": _count(published, "track__slug", "kind"),
        "difficulty": _count(published, "track__slug", "difficulty"),
    }


def _count(queryset, *fields) -> dict:
    rows = queryset.values_list(*fields).annotate(n=Count("id", distinct=True)).order_by(*fields)
    return {(row[0] if len(fields) == 1 else row[:-1]): row[-1] for row in rows}
