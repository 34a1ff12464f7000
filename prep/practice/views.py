import time
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prep.accounts.selectors import profile_for
from prep.accounts.services import reminders_unsubscribe
from prep.practice import grading, selectors
from prep.practice.digests import user_id_from_unsubscribe_token
from prep.practice.forms import AnswerForm, GradeForm, PauseForm
from prep.practice.models import Card, Review
from prep.practice.progress import progress_for
from prep.practice.services import (
    card_introduce,
    practice_extend_new,
    practice_pause,
    practice_resume,
    review_submit,
)
from questions.models import Question

TEMPLATE = "practice/session.html"
LEARN_MORE_COUNT = 5


def _render(request, context, *, status=200, partial="card"):
    template = f"{TEMPLATE}#{partial}" if request.htmx else TEMPLATE
    return render(request, template, context, status=status)


def _card_or_404(request, card_id) -> Card:
    try:
        return selectors.card_for_user(user=request.user, card_id=card_id)
    except Card.DoesNotExist:
        raise Http404("No such card.") from None


def _next_card_context(request, *, graded: Review | None = None) -> dict:
    profile = profile_for(request.user)
    now = timezone.now()
    counts = selectors.today_counts(profile=profile, now=now)
    item = selectors.next_card(profile=profile, now=now, counts=counts)
    context = {
        "stage": "answer",
        "counts": counts,
        "due_now": selectors.due_count(
            profile=profile, now=now, limit=min(counts.reviews_left, selectors.DUE_COUNT_CAP + 1)
        ),
        "due_count_cap": selectors.DUE_COUNT_CAP,
        "graded": graded,
        "now": now,
        "profile": profile,
    }
    if isinstance(item, Question):
        item = card_introduce(user=request.user, question=item, now=now)
    if item is None:
        context.update(
            stage="paused" if counts.paused else "done",
            next_due=selectors.next_due_at(profile=profile),
            new_available=selectors.new_available(profile=profile),
            due_beyond_limit=selectors.due_count(profile=profile, now=now) if not counts.reviews_left else 0,
            learn_more_count=LEARN_MORE_COUNT,
        )
        return context
    context["card"] = item
    context["form"] = AnswerForm(
        question=item.question,
        initial={"idempotency_key": uuid.uuid4(), "shown_at": time.time()},
    )
    return context


@login_required
@require_GET
def session(request):
    return _render(request, _next_card_context(request))


def _reveal_context(card: Card, form: AnswerForm) -> dict:
    picked = form.cleaned_data.get("choices", [])
    hits = form.cleaned_data.get("rubric_hits", [])
    return {
        "stage": "reveal",
        "card": card,
        "form": form,
        "picked": picked,
        "correct": grading.choices_correct(card.question, picked),
        "suggested": grading.suggest_rating(card.question, picked=picked, hits=hits),
        "ratings": Review.Rating.choices,
    }


@login_required
@require_POST
def reveal(request, card_id):
    card = _card_or_404(request, card_id)
    form = AnswerForm(request.POST, question=card.question)
    if not form.is_valid():
        return _render(request, {"stage": "answer", "card": card, "form": form}, status=422)
    return _render(request, _reveal_context(card, form))


@login_required
@require_POST
def suggest(request, card_id):
    """The rating partial again, as rubric points are ticked (htmx)."""
    card = _card_or_404(request, card_id)
    form = GradeForm(request.POST, question=card.question)
    form.is_valid()  # the suggestion uses whatever parts are valid
    context = _reveal_context(card, form)
    return render(request, f"{TEMPLATE}#rating", context)


@login_required
@require_POST
def grade(request, card_id):
    card = _card_or_404(request, card_id)
    form = GradeForm(request.POST, question=card.question)
    if not form.is_valid():
        return _render(request, _reveal_context(card, form), status=422)
    data = form.cleaned_data
    review = review_submit(
        user=request.user,
        card_id=card.pk,
        rating=data["rating"],
        idempotency_key=data["idempotency_key"],
        answer=data["answer"],
        rubric_hits=data["rubric_hits"],
        choices_picked=data["choices"],
        duration_seconds=form.duration_seconds(),
    )
    return _render(request, _next_card_context(request, graded=review))


@login_required
@require_POST
def learn_more(request):
    practice_extend_new(user=request.user, count=LEARN_MORE_COUNT)
    return redirect("practice:session")


@login_required
@require_POST
def pause(request):
    form = PauseForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["days"]))
        return redirect("accounts:settings")
    try:
        profile = practice_pause(user=request.user, days=form.cleaned_data["days"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.message_dict["days"]))
    else:
        messages.success(
            request,
            f"Paused until {profile.paused_until:%-d %b}. Your reviews moved with you; none are lost.",
        )
    return redirect("accounts:settings")


# The token in the link is the authentication; mail clients POST to it without a CSRF token
# for one-click unsubscribe (RFC 8058), so the POST must be exempt.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    user_id = user_id_from_unsubscribe_token(token)
    if user_id is None:
        raise Http404("This unsubscribe link is not valid.")
    if request.method == "POST":
        reminders_unsubscribe(user_id=user_id)
        return render(request, "practice/unsubscribe.html", {"done": True})
    return render(request, "practice/unsubscribe.html", {"done": False, "token": token})


@login_required
@require_POST
def resume(request):
    practice_resume(user=request.user)
    messages.success(request, "Welcome back: practice is on again.")
    return redirect("practice:session")


@login_required
@require_GET
def progress(request):
    profile = profile_for(request.user)
    context = {"profile": profile, "progress": progress_for(profile=profile, now=timezone.now())}
    return render(request, "practice/progress.html", context)
