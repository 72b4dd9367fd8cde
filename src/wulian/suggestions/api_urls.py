"""The suggestions API, mounted at /api/v1/ by the root URL configuration (before the core API's
catch-all)."""

from django.urls import path

from wulian.api.routers import api_router
from wulian.core import steps
from wulian.suggestions import api, figures_urls
from wulian.suggestions import steps as suggestion_steps

router = api_router()
router.register("suggestions", api.SuggestionViewSet, basename="suggestion")
router.register("suggestion-batches", api.BatchViewSet, basename="batch")
router.register("suggestion-campaigns", api.CampaignViewSet, basename="campaign")
router.register("campaign-opinions", api.OpinionViewSet, basename="opinion")
router.register("suggestion-sessions", api.SessionViewSet, basename="session")

app_name = "suggestions_api"
# The records are read by the viewsets; their steps come from their declarations (steps.py).
urlpatterns: list = [
    # The pages suggestions:suggestion_import (.xlsx, with its template) and
    # :consultation_create.
    path("suggestions/import/", api.SuggestionImport.as_view(), name="suggestion-import"),
    path(
        "suggestions/import/template/",
        api.SuggestionImportTemplate.as_view(),
        name="suggestion-import-template",
    ),
    path(
        "suggestion-consultations/",
        api.ConsultationCreate.as_view(),
        name="consultation-create",
    ),
    *router.urls,
    *(
        pattern
        for model in suggestion_steps.RECORDS
        for pattern in steps.api_urls(model, read=False)
    ),
]


# The year's figures (figures_urls.py).
urlpatterns += figures_urls.api_urlpatterns
