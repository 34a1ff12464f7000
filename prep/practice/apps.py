from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "prep.practice"
    label = "practice"
