from django.urls import path

from wulian.core import steps
from wulian.core.clues import steps as clue_steps  # noqa: F401 - declares the steps
from wulian.core.clues import views
from wulian.core.clues.models import Clue

app_name = "clues"

urlpatterns = [
    path("", views.clue_list, name="clue_list"),
    path("export.xlsx", views.clue_export, name="clue_export"),
    path("new/", views.clue_create, name="clue_create"),
    path("<int:pk>/", views.clue_detail, name="clue_detail"),
    path("<int:pk>/edit/", views.clue_edit, name="clue_edit"),
    # transfer, receive, dispose, feedback: the declared steps.
    *steps.page_urls(Clue),
]
