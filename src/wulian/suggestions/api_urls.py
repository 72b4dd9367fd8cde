"""The suggestions API, mounted at /api/v1/ by the root URL configuration (before the core API's
catch-all)."""

app_name = "suggestions_api"
urlpatterns: list = []
