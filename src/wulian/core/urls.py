from django.urls import path

from wulian.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("orgs/", views.organisation_list, name="organisation_list"),
    path("orgs/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("people/", views.person_list, name="person_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("audit/", views.audit_list, name="audit_list"),
]
