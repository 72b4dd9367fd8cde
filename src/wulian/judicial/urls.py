"""The judicial pages, mounted at /judicial/."""

app_name = "judicial"
urlpatterns: list = []
