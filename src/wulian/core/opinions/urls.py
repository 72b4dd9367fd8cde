from django.urls import path

from wulian.core import steps
from wulian.core.opinions import steps as opinion_steps  # noqa: F401 - declares them
from wulian.core.opinions import views
from wulian.core.opinions.models import OpinionRound

app_name = "opinions"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("figures/", views.figures, name="figures"),
    path("new/", views.round_create, name="round_create"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/explanation.docx", views.explanation_docx, name="explanation_docx"),
    # add_version, invite, open, comment, no_opinion, dispose, close, conclude: the steps.
    *steps.page_urls(OpinionRound),
]
