"""`/api/v1/deadlines/{id}/` and its steps (pause, resume, extension-request) and
`/api/v1/deadline-extensions/{id}/decide/`, made from the declared steps; the holiday
calendar's changes (`/api/v1/calendar/…`, deadlines.api)."""

from django.urls import path

from wulian.core import steps
from wulian.core.deadlines import api
from wulian.core.deadlines import steps as deadline_steps  # noqa: F401 - declares the steps
from wulian.core.deadlines.models import Deadline, ExtensionRequest

app_name = "deadlines_api"

urlpatterns = [
    *steps.api_urls(Deadline),
    *steps.api_urls(ExtensionRequest),
    path("calendar/days/", api.CalendarDayAdd.as_view(), name="calendar-day-add"),
    path(
        "calendar/days/<int:pk>/remove/",
        api.CalendarDayRemove.as_view(),
        name="calendar-day-remove",
    ),
    path(
        "calendar/years/<int:year>/complete/",
        api.CalendarYearComplete.as_view(),
        name="calendar-year-complete",
    ),
    path(
        "calendar/years/<int:year>/import/",
        api.CalendarYearImport.as_view(),
        name="calendar-year-import",
    ),
]
