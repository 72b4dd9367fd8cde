"""The special inquiries' pages, mounted at /inquiries/."""

from django.urls import path

from wulian.core import steps
from wulian.inquiries import steps as inquiry_steps
from wulian.inquiries import views
from wulian.inquiries.models import Inquiry, Question

app_name = "inquiries"

urlpatterns = [
    path("", views.inquiry_list, name="inquiry_list"),
    path("new/", views.inquiry_create, name="inquiry_create"),
    path("figures/", views.figures, name="figures"),
    path("<int:pk>/opinion.docx", views.opinion_docx, name="opinion_docx"),
    path("<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
    *steps.page_urls(Inquiry, "<int:pk>/"),
    *steps.page_urls(Question, "questions/<int:pk>/"),
]

__all__ = ["inquiry_steps"]
