from django.urls import path

from wulian.core import steps
from wulian.core.polls import steps as poll_steps  # noqa: F401 - declares them
from wulian.core.polls import views
from wulian.core.polls.models import Poll

app_name = "polls"

urlpatterns = [
    path("", views.poll_list, name="poll_list"),
    path("new/", views.poll_create, name="poll_create"),
    path("<int:pk>/", views.poll_detail, name="poll_detail"),
    path("<int:pk>/vote/", views.poll_vote, name="poll_vote"),
    path("<int:pk>/results/", views.poll_results, name="poll_results"),
    path("<int:pk>/results.docx", views.poll_results_docx, name="poll_results_docx"),
    path("<int:pk>/results.xlsx", views.poll_results_xlsx, name="poll_results_xlsx"),
    path("<int:pk>/receipts/", views.poll_receipts, name="poll_receipts"),
    # Public: voting with a slip code, checking a receipt (no account).
    path("<int:pk>/slip/", views.slip_vote, name="slip_vote"),
    path("<int:pk>/check/", views.receipt_check, name="receipt_check"),
    # roster_add, slips_issue, open_request, open_cosign, close, paper_enter, seal, certify.
    *steps.page_urls(Poll),
]
