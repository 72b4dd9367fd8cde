"""The livelihood pages, mounted at /livelihood/."""

from django.urls import path

from wulian.core import steps
from wulian.livelihood import steps as _declared  # noqa: F401 - the steps' routes below
from wulian.livelihood import views
from wulian.livelihood.models import Actual, Candidate, Cycle, Indicator, Order, Project

app_name = "livelihood"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.cycle_create, name="cycle_create"),
    path("figures/", views.figures, name="figures"),
    path("figures.docx", views.figures_docx, name="figures_docx"),
    path("public/<int:year>/", views.public_progress, name="public"),
    path("public/photos/<int:pk>/", views.public_photo, name="public_photo"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/decision.docx", views.cycle_decision, name="cycle_decision"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("actuals/<int:pk>/", views.actual_detail, name="actual_detail"),
    *steps.page_urls(Cycle, "cycles/<int:pk>/"),
    *steps.page_urls(Candidate, "candidates/<int:pk>/"),
    *steps.page_urls(Project, "projects/<int:pk>/"),
    *steps.page_urls(Indicator, "indicators/<int:pk>/"),
    *steps.page_urls(Actual, "actuals/<int:pk>/"),
    *steps.page_urls(Order, "orders/<int:pk>/"),
]
