from django.urls import path

from prep.practice import views

app_name = "practice"
urlpatterns = [
    path("", views.session, name="session"),
    path("cards/<int:card_id>/reveal/", views.reveal, name="reveal"),
    path("cards/<int:card_id>/suggest/", views.suggest, name="suggest"),
    path("cards/<int:card_id>/grade/", views.grade, name="grade"),
    path("learn-more/", views.learn_more, name="learn_more"),
    path("pause/", views.pause, name="pause"),
    path("resume/", views.resume, name="resume"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("progress/", views.progress, name="progress"),
]
