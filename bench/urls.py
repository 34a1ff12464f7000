from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import path

from prep.practice.forms import AnswerForm
from prep.practice.models import Card
from prep.urls import urlpatterns as app_urlpatterns
from questions.markdown import render_markdown
from questions.models import Question, Track
from questions.selectors import question_with_content


def one_query(request):
    """The floor: one query, a tiny response."""
    return HttpResponse(str(Track.objects.count()))


@login_required
def one_query_logged_in(request):
    """The floor for a logged-in page: the session and user lookups, then one query."""
    return HttpResponse(str(Track.objects.count()))


def warm(request):
    """Show every question once in this process, as a long-running server has: its content and
    rendered fragments are cached."""
    warm_question_caches(request)
    return HttpResponse("warm")


def warm_question_caches(request=None) -> None:
    for question in Question.objects.all():
        question = question_with_content(question)
        for text in (question.prompt, question.answer, question.explanation):
            render_markdown(text)
        card = Card(pk=0, question=question, reps=1)
        context = {"stage": "answer", "card": card, "form": AnswerForm(question=question)}
        render_to_string("practice/session.html#card", context, request)


urlpatterns = [
    *app_urlpatterns,
    path("bench/one-query/", one_query),
    path("bench/one-query-logged-in/", one_query_logged_in),
    path("bench/warm/", warm),
]
