from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "prep.accounts"
    label = "accounts"
