from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wulian.accounts"
    label = "accounts"
    verbose_name = "Accounts"
