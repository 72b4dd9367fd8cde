from django.urls import path

from wulian.core.activities import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("new/", views.activity_create, name="activity_create"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/hold/", views.activity_hold, name="activity_hold"),
    path("<int:pk>/cancel/", views.activity_cancel, name="activity_cancel"),
    path("<int:pk>/participants/", views.participant_add, name="participant_add"),
    path(
        "<int:pk>/participants/<int:participant_pk>/remove/",
        views.participant_remove,
        name="participant_remove",
    ),
    path("<int:pk>/records/", views.record_link, name="record_link"),
    path("<int:pk>/records/<int:link_pk>/unlink/", views.record_unlink, name="record_unlink"),
]
