from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from wulian.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("people", views.PersonViewSet, basename="person")

schema_view = SpectacularAPIView.as_view()
schema_view.wulian_policy = "public"

app_name = "api"

urlpatterns = [
    path("schema/", schema_view, name="schema"),
    path("me/", views.me, name="me"),
    path("", include(router.urls)),
]
