"""The liaison stations' pages, mounted at /stations/."""

from django.urls import path

from wulian.core import steps
from wulian.stations import steps as station_steps
from wulian.stations import views

app_name = "stations"

urlpatterns = [
    path("", views.station_list, name="station_list"),
    path("notice/", views.notice, name="notice"),
    path("figures/", views.figures, name="figures"),
    path("topics/", views.topics, name="topics"),
    path("<int:pk>/", views.station_detail, name="station_detail"),
    path("events/", views.event_list, name="event_list"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("opinions/", views.opinion_list, name="opinion_list"),
    path("opinions/<int:pk>/", views.opinion_detail, name="opinion_detail"),
    path("observations/", views.observation_list, name="observation_list"),
    path("observations/<int:pk>/", views.observation_detail, name="observation_detail"),
    *(
        route
        for model, records in station_steps.PAGES.items()
        for route in steps.page_urls(model, f"{records}/<int:pk>/")
    ),
]
