"""The banks we ship must import cleanly and cover what the product promises."""

from collections import Counter
from pathlib import Path

import pytest

from questions.bankfile import CHOICE_KINDS, KINDS, load_bank

BANKS = Path(__file__).resolve().parents[2] / "questions" / "banks"


@pytest.fixture(scope="module")
def shipped():
    return load_bank([BANKS])  # raises BankError with every problem if anything is wrong


def test_every_track_has_questions_of_every_kind_and_difficulty(shipped):
    for track in ("ai-engineer", "ml-engineer"):
        questions = [q for q in shipped.questions if q.track == track and q.status == "published"]
        assert len(questions) >= 100, track
        assert {q.kind for q in questions} == set(KINDS), track
        assert {q.difficulty for q in questions} == {"easy", "medium", "hard"}, track


def test_every_topic_has_at_least_five_questions(shipped):
    per_topic = Counter(t for q in shipped.questions for t in q.topics)
    assert {t.slug for t in shipped.topics} == set(per_topic)
    assert min(per_topic.values()) >= 5, per_topic.most_common()[-3:]


def test_long_answers_are_interview_length(shipped):
    too_short_or_long = [
        (q.slug, len(q.answer.split()))
        for q in shipped.questions
        if q.kind in ("free-text", "system-design") and not 120 <= len(q.answer.split()) <= 400
    ]
    assert not too_short_or_long


def test_choice_questions_explain_every_option(shipped):
    for q in shipped.questions:
        if q.kind in CHOICE_KINDS:
            assert all(c.why for c in q.choices), q.slug
