from django.urls import path

from wulian.core import steps
from wulian.core.deadlines import steps as deadline_steps  # noqa: F401 - declares the steps
from wulian.core.deadlines import views
from wulian.core.deadlines.models import Deadline, ExtensionRequest

app_name = "deadlines"

urlpatterns = [
    path("<int:pk>/", views.deadline_detail, name="detail"),
    # pause, resume, extension (request) and extensions/<pk>/decide: the declared steps.
    *steps.page_urls(Deadline),
    *steps.page_urls(ExtensionRequest),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/days/", views.calendar_day_add, name="calendar_day_add"),
    path("calendar/days/<int:pk>/delete/", views.calendar_day_remove, name="calendar_day_remove"),
    path(
        "calendar/<int:year>/complete/",
        views.calendar_year_complete,
        name="calendar_year_complete",
    ),
    path("calendar/<int:year>/import/", views.calendar_year_import, name="calendar_year_import"),
]
