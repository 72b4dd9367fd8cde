from django.urls import path

from wulian.core import steps
from wulian.core.activities import steps as activity_steps  # noqa: F401 - declares the steps
from wulian.core.activities import views
from wulian.core.activities.models import Activity

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("new/", views.activity_create, name="activity_create"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    # hold, cancel, participants (add, remove), records (link, unlink): the declared steps.
    *steps.page_urls(Activity),
]
