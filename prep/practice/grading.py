"""How an answer is judged before the candidate grades it: correctness and a suggested rating."""

from prep.practice.models import Review
from questions.models import Question

# Rubric coverage (share of weight ticked) below which each rating is suggested.
AGAIN_BELOW = 0.4
HARD_BELOW = 0.7


def choices_correct(question: Question, picked: list[int]) -> bool | None:
    """True when exactly the correct choices were picked; None for questions without choices."""
    if not question.has_choices:
        return None
    correct = {c.position for c in question.choices.all() if c.is_correct}
    return set(picked) == correct


def rubric_coverage(question: Question, hits: list[int]) -> float:
    points = list(question.rubric_points.all())
    total = sum(p.weight for p in points)
    hit = sum(p.weight for p in points if p.position in set(hits))
    return hit / total if total else 0.0


def suggest_rating(question: Question, *, picked: list[int], hits: list[int]) -> int:
    """Good or Again from correctness for choice questions; from rubric coverage otherwise.

    Easy is never suggested: it is the candidate's own call.
    """
    correct = choices_correct(question, picked)
    if correct is not None:
        return Review.Rating.GOOD if correct else Review.Rating.AGAIN
    coverage = rubric_coverage(question, hits)
    if coverage < AGAIN_BELOW:
        return Review.Rating.AGAIN
    if coverage < HARD_BELOW:
        return Review.Rating.HARD
    return Review.Rating.GOOD
