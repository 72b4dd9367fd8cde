"""The 联评 pages, mounted at /evaluation/."""

from django.urls import path

from wulian.core import steps
from wulian.evaluation import views
from wulian.evaluation.models import Evaluation

app_name = "evaluation"

urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("new/", views.evaluation_create, name="create"),
    path("figures/", views.figures, name="figures"),
    path("conduct/import/", views.conduct_import, name="conduct_import"),
    path("conduct/template.xlsx", views.conduct_template, name="conduct_template"),
    path("<int:pk>/", views.evaluation_detail, name="detail"),
    path("<int:pk>/dossier/", views.dossier, name="dossier"),
    path("<int:pk>/opinion.docx", views.opinion_docx, name="opinion_docx"),
    *steps.page_urls(Evaluation),
]
