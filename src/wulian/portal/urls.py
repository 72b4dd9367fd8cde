"""The public portal, mounted at /public/."""

from django.urls import path

from wulian.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("inquiries/", views.inquiries, name="inquiries"),
]
