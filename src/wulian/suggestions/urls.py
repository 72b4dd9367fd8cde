"""The suggestions pages, mounted at /suggestions/."""

from django.urls import path

from wulian.core import steps
from wulian.suggestions import concentration_views, figures_urls, views
from wulian.suggestions import models as m
from wulian.suggestions import steps as suggestion_steps  # noqa: F401 - declares the steps

app_name = "suggestions"

urlpatterns = [
    path("", views.suggestion_list, name="suggestion_list"),
    path("export.xlsx", views.suggestion_export, name="suggestion_export"),
    path("new/", views.suggestion_submit, name="suggestion_submit"),
    path("import/", views.suggestion_import, name="suggestion_import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("sessions/", views.session_list, name="session_list"),
    path("<int:pk>/", views.suggestion_detail, name="suggestion_detail"),
    # Every step of a suggestion (steps.py), publish with its own page (GET: texts, preview).
    *steps.page_urls(m.Suggestion),
    *steps.page_urls(m.Assignment, prefix="assignments/<int:pk>/"),  # receive, send back, replace
    *steps.page_urls(m.SupervisionOrder, prefix="orders/<int:pk>/"),  # respond, close, escalate
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    *steps.page_urls(m.AssignmentBatch, prefix="batches/<int:pk>/"),  # confirm, return
    path("consultations/new/", views.consultation_create, name="consultation_create"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    *steps.page_urls(m.Campaign),  # register an opinion
    *steps.page_urls(m.CampaignOpinion, prefix="opinions/<int:pk>/"),  # assign, complete
    # Concentrated opinions (集中反映) and their reports to the CDI (通报).
    path("concentrated/", concentration_views.concentration_list, name="concentration_list"),
    path(
        "concentrated/reports/",
        concentration_views.concentration_report_list,
        name="concentration_report_list",
    ),
    path(
        "concentrated/reports/<int:pk>/",
        concentration_views.concentration_report_detail,
        name="concentration_report_detail",
    ),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
]

# The year's figures and the documents (figures_urls.py).
urlpatterns += figures_urls.urlpatterns
