from django.urls import path

from wulian.reports import dashboard_views, views

app_name = "reports"

urlpatterns = [
    path("organisations/<int:pk>/", views.organisation_profile, name="profile"),
    path("ranking/", views.ranking, name="ranking"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
]
