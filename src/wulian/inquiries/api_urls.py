"""The inquiries' API, mounted at /api/v1/ (before the core API's catch-all)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from wulian.core import steps
from wulian.inquiries import api
from wulian.inquiries import steps as inquiry_steps  # noqa: F401 - declares the steps
from wulian.inquiries.models import Inquiry, Question

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("inquiries", api.InquiryViewSet, basename="inquiry")

app_name = "inquiries_api"
urlpatterns = [
    path("inquiries/figures/", api.figures_api, name="figures"),
    *steps.api_urls(Inquiry, read=False),
    *steps.api_urls(Question),
    *router.urls,
]
