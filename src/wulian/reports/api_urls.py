from django.urls import path

from wulian.reports import views

app_name = "reports_api"

urlpatterns = [
    path("organisations/<int:pk>/profile/", views.profile_api, name="organisation_profile"),
    path("reports/annual/", views.annual_api, name="annual"),
]
