"""The stations' API, mounted at /api/v1/ (before the core API's catch-all)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from wulian.core import steps
from wulian.stations import api
from wulian.stations import steps as station_steps

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("stations/stations", api.StationViewSet, basename="station")
router.register("stations/events", api.EventViewSet, basename="event")
router.register("stations/opinions", api.OpinionViewSet, basename="opinion")
router.register("stations/observations", api.ObservationViewSet, basename="observation")

app_name = "stations_api"
urlpatterns = [
    path("stations/figures/", api.figures_api, name="figures"),
    *(route for model in station_steps.PAGES for route in steps.api_urls(model, read=False)),
    *router.urls,
]
