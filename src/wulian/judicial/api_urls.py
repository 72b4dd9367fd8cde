"""The judicial API, mounted at /api/v1/ by the root URL configuration (before the core API's
catch-all)."""

app_name = "judicial_api"
urlpatterns: list = []
