from django.urls import path

from wulian.reports import dashboard_views, views

app_name = "reports"

urlpatterns = [
    path("organisations/<int:pk>/", views.organisation_profile, name="profile"),
    path("ranking/", views.ranking, name="ranking"),
    path("annual/", views.annual_report, name="annual"),
    path("annual/docx/", views.annual_report_docx, name="annual_docx"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
]
