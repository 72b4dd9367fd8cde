from django.urls import path

from wulian.core import steps
from wulian.core.activities import steps as activity_steps  # noqa: F401 - declares the steps
from wulian.core.activities import views
from wulian.core.activities.models import ActionItem, Activity

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("new/", views.activity_create, name="activity_create"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("meetings.ics", views.meetings_ics, name="meetings_ics"),
    path("<int:pk>/calendar.ics", views.meeting_ics, name="meeting_ics"),
    path("<int:pk>/minutes.docx", views.minutes_docx, name="minutes_docx"),
    path("action-items/", views.action_list, name="action_list"),
    path("action-items/export.xlsx", views.action_export, name="action_export"),
    path("action-items/<int:pk>/", views.action_detail, name="action_detail"),
    # hold, cancel, participants (add, remove), records (link, unlink): the declared steps.
    *steps.page_urls(Activity),
    # report, verify, send back, link: the action item's declared steps.
    *steps.page_urls(ActionItem, prefix="action-items/<int:pk>/"),
]
