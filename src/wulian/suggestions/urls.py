"""The suggestions pages, mounted at /suggestions/."""

app_name = "suggestions"
urlpatterns: list = []
