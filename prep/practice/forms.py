import time

from django import forms
from django.conf import settings

from prep.practice.models import Review
from prep.practice.services import MAX_PAUSE_DAYS


class AnswerForm(forms.Form):
    """What the candidate answered; positions are checked against the question's own."""

    # The template writes the inputs out (practice/session.html): rendering widgets through the
    # form renderer was a fifth of the practice loop's time.
    answer = forms.CharField(required=False, strip=True)
    choices = forms.TypedMultipleChoiceField(coerce=int, required=False)
    idempotency_key = forms.UUIDField()
    shown_at = forms.FloatField(required=False)

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields["choices"].choices = [(c.position, c.text) for c in question.choices.all()]

    def clean_answer(self):
        answer = self.cleaned_data["answer"]
        limit = settings.MAX_ANSWER_CHARS
        if len(answer) > limit:
            raise forms.ValidationError(
                f"Your answer is {len(answer):,} characters long; the limit is {limit:,}. "
                "Shorten it and try again."
            )
        return answer

    def clean_choices(self):
        picked = self.cleaned_data["choices"]
        if self.question.kind == "single-choice" and len(picked) > 1:
            raise forms.ValidationError("Pick one answer.")
        return picked


class GradeForm(AnswerForm):
    MAX_DURATION_SECONDS = 3600

    rating = forms.TypedChoiceField(
        coerce=int,
        choices=Review.Rating.choices,
        error_messages={"invalid_choice": "Choose Again, Hard, Good or Easy."},
    )
    rubric_hits = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, question=question, **kwargs)
        self.fields["rubric_hits"].choices = [(p.position, p.text) for p in question.rubric_points.all()]

    def duration_seconds(self) -> int | None:
        """Seconds from showing the card to grading it, clamped (the client's clock is not trusted
        beyond that: the value only feeds the candidate's own statistics)."""
        shown_at = self.cleaned_data.get("shown_at")
        if not shown_at:
            return None
        return int(min(max(time.time() - shown_at, 0), self.MAX_DURATION_SECONDS))


class PauseForm(forms.Form):
    days = forms.IntegerField(
        min_value=1,
        max_value=MAX_PAUSE_DAYS,
        initial=7,
        error_messages={
            "min_value": f"Pause for 1 to {MAX_PAUSE_DAYS} days.",
            "max_value": f"Pause for 1 to {MAX_PAUSE_DAYS} days.",
            "invalid": "Enter a number of days.",
            "required": "Enter a number of days.",
        },
    )
