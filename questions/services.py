"""Writes to the banks."""

from dataclasses import dataclass, field, replace
from pathlib import Path

from django.db import transaction

from questions.bankfile import DIFFICULTIES, TRACKS, QuestionSpec, TopicSpec, load_bank
from questions.models import Choice, Question, RubricPoint, Topic, Track
from questions.selectors import question_spec, topic_spec


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    topics_created: list[str] = field(default_factory=list)
    topics_updated: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"questions: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged; topics: {len(self.topics_created)} created, "
            f"{len(self.topics_updated)} updated"
        )


def tracks_ensure() -> dict[str, Track]:
    """The two tracks exist whatever the database's history."""
    return {
        slug: Track.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in TRACKS.items()
    }


@transaction.atomic
def bank_import(*, paths: list[str | Path], dry_run: bool = False) -> ImportReport:
    """Validate every file, then upsert topics and questions by slug, all or nothing.

    Raises bankfile.BankError (nothing written) when any file or question is invalid.
    With dry_run the report says what would change and the transaction is rolled back.
    """
    known = dict(Topic.objects.values_list("slug", "track__slug"))
    bank = load_bank(paths, known_topics=known)
    tracks = tracks_ensure()
    report = ImportReport()

    topics = {t.slug: t for t in Topic.objects.select_related("track")}
    for spec in bank.topics:
        topic = topics.get(spec.slug)
        if topic is None:
            topics[spec.slug] = Topic.objects.create(
                slug=spec.slug, track=tracks[spec.track], name=spec.name, description=spec.description
            )
            report.topics_created.append(spec.slug)
        elif topic_spec(topic) != spec:
            _topic_apply(topic, spec, tracks)
            report.topics_updated.append(spec.slug)

    existing = {
        q.slug: q for q in Question.objects.filter(slug__in=[s.slug for s in bank.questions]).with_content()
    }
    for spec in bank.questions:
        question = existing.get(spec.slug)
        if question is None:
            _question_write(Question(slug=spec.slug), spec, tracks, topics)
            report.created.append(spec.slug)
        elif question_spec(question) != _normalised(spec):
            question.version += 1
            _question_write(question, spec, tracks, topics)
            report.updated.append(spec.slug)
        else:
            report.unchanged.append(spec.slug)

    if dry_run:
        transaction.set_rollback(True)
    return report


def _normalised(spec: QuestionSpec) -> QuestionSpec:
    # Topic order carries no meaning; compare as the database returns them.
    return replace(spec, topics=tuple(sorted(spec.topics)))


def _topic_apply(topic: Topic, spec: TopicSpec, tracks) -> None:
    topic.track = tracks[spec.track]
    topic.name = spec.name
    topic.description = spec.description
    topic.full_clean()
    topic.save()


def _question_write(question: Question, spec: QuestionSpec, tracks, topics) -> None:
    question.track = tracks[spec.track]
    question.kind = spec.kind
    question.difficulty = DIFFICULTIES.index(spec.difficulty) + 1
    question.title = spec.title
    question.time_minutes = spec.time_minutes
    question.status = spec.status
    question.prompt = spec.prompt
    question.answer = spec.answer
    question.explanation = spec.explanation
    question.full_clean(exclude=["topics"])
    question.save()
    question.topics.set([topics[slug] for slug in spec.topics])
    # Choices and rubric points are replaced whole; Reviews keep positions plus the version.
    question.choices.all().delete()
    question.rubric_points.all().delete()
    Choice.objects.bulk_create(
        Choice(question=question, position=i, text=c.text, is_correct=c.correct, why=c.why)
        for i, c in enumerate(spec.choices, start=1)
    )
    RubricPoint.objects.bulk_create(
        RubricPoint(question=question, position=i, text=r.text, weight=r.weight)
        for i, r in enumerate(spec.rubric, start=1)
    )
