from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "wulian.api"
    label = "api"
    verbose_name = "API"
