from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

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
    """Load every question's content into this process's cache, as a long-running server has."""
    for question in Question.objects.all():
        question_with_content(question)
        for text in (question.prompt, question.answer, question.explanation):
            render_markdown(text)
    return HttpResponse("warm")


urlpatterns = [
    *app_urlpatterns,
    path("bench/one-query/", one_query),
    path("bench/one-query-logged-in/", one_query_logged_in),
    path("bench/warm/", warm),
]
