from django.urls import path

from wulian.core.deadlines import views

app_name = "deadlines"

urlpatterns = [
    path("<int:pk>/", views.deadline_detail, name="detail"),
    path("<int:pk>/pause/", views.deadline_pause, name="pause"),
    path("<int:pk>/resume/", views.deadline_resume, name="resume"),
    path("<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
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
