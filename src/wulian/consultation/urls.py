from django.urls import path

from wulian.consultation import steps as consultation_steps  # noqa: F401 - declares them
from wulian.consultation import views
from wulian.consultation.models import Analysis, Matter
from wulian.core import steps

app_name = "consultation"

urlpatterns = [
    path("", views.register, name="register"),
    path("calendar/", views.calendar, name="calendar"),
    path("meetings/", views.meetings, name="meetings"),
    path("figures/", views.figures, name="figures"),
    path("figures/records/", views.figure_records, name="figure_records"),
    path("matters/new/", views.matter_create, name="matter_create"),
    path("matters/<int:pk>/", views.matter_detail, name="matter_detail"),
    *steps.page_urls(Matter, prefix="matters/<int:pk>/"),
    path("analyses/", views.analyses, name="analyses"),
    path("analyses/new/", views.analysis_create, name="analysis_create"),
    path("analyses/template/", views.import_template, name="import_template"),
    path("analyses/<int:pk>/", views.analysis_detail, name="analysis_detail"),
    path("analyses/<int:pk>/import/", views.analysis_import, name="analysis_import"),
    path("analyses/<int:pk>/docx/", views.analysis_docx, name="analysis_docx"),
    *steps.page_urls(Analysis, prefix="analyses/<int:pk>/"),
]
