from django.urls import path

from wulian.core import steps
from wulian.core.bulletins import steps as bulletin_steps  # noqa: F401 - declares them
from wulian.core.bulletins import views
from wulian.core.bulletins.models import Bulletin

app_name = "bulletins"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("receipts/", views.receipts, name="receipts"),
    path("figures/", views.figures, name="figures"),
    path("new/", views.bulletin_create, name="bulletin_create"),
    path("series/new/", views.series_create, name="series_create"),
    path("<int:pk>/", views.bulletin_detail, name="bulletin_detail"),
    path("<int:pk>/edit/", views.bulletin_edit, name="bulletin_edit"),
    path("<int:pk>/docx/", views.bulletin_docx, name="bulletin_docx"),
    # issue, sign, feedback: the declared steps.
    *steps.page_urls(Bulletin),
]
