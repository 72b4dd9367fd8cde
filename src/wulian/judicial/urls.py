"""The judicial pages, mounted at /judicial/."""

from django.urls import path

from wulian.core import steps
from wulian.judicial import steps as judicial_steps
from wulian.judicial import views

app_name = "judicial"

urlpatterns = [
    path("", views.home, name="home"),
    path("figures/", views.figures, name="figures"),
    # The pool
    path("experts/", views.expert_list, name="expert_list"),
    path("experts/new/", views.expert_create, name="expert_create"),
    path("experts/import/", views.expert_import, name="expert_import"),
    path(
        "experts/import/template.xlsx",
        views.expert_import_template,
        name="expert_import_template",
    ),
    path("experts/<int:pk>/", views.expert_detail, name="expert_detail"),
    path("pool/versions/", views.pool_versions, name="pool_versions"),
    # Cases
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/import/", views.case_import, name="case_import"),
    path("cases/import/template.xlsx", views.case_import_template, name="case_import_template"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    # Batches
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/report.docx", views.batch_report, name="batch_report"),
    # Draws
    path("draws/", views.draw_list, name="draw_list"),
    path("draws/<int:pk>/", views.draw_detail, name="draw_detail"),
    path("draws/<int:pk>/result/", views.draw_result, name="draw_result"),
    path("draws/<int:pk>/record.json", views.draw_record, name="draw_record"),
    path("draws/<int:pk>/verify/", views.draw_verify, name="draw_verify"),
    # Experts' own business
    path("mine/", views.my_reviews, name="my_reviews"),
    # Suggestions to the courts and procuratorates
    path("suggestions/", views.suggestion_list, name="suggestion_list"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="suggestion_detail"),
    # Petitions
    path("petitions/", views.petition_list, name="petition_list"),
    path("petitions/new/", views.petition_create, name="petition_create"),
    path("petitions/<int:pk>/", views.petition_detail, name="petition_detail"),
    # Every record's steps (edit, suspend, grade, freeze, commit, score, send, route …), declared
    # in judicial/steps.py: the POST of the record page's forms, and the GET of a step's own page.
    *(
        route
        for model, records in judicial_steps.PAGES.items()
        for route in steps.page_urls(model, f"{records}/<int:pk>/")
    ),
]
