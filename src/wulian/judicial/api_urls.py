"""The judicial API, mounted at /api/v1/ by the root URL configuration (before the core API's
catch-all): the viewsets read the records; the steps on them are made from the declarations in
judicial/steps.py (`POST /api/v1/judicial/<records>/{id}/<step>/`)."""

from django.urls import path

from wulian.api.routers import api_router
from wulian.core import steps
from wulian.judicial import api
from wulian.judicial import steps as judicial_steps

router = api_router()
router.register("judicial/experts", api.ExpertViewSet, basename="expert")
router.register("judicial/cases", api.CaseViewSet, basename="case")
router.register("judicial/batches", api.BatchViewSet, basename="batch")
router.register("judicial/draws", api.DrawViewSet, basename="draw")
router.register("judicial/invitations", api.InvitationViewSet, basename="invitation")
router.register("judicial/seats", api.SeatViewSet, basename="seat")
router.register("judicial/suggestions", api.SuggestionViewSet, basename="suggestion")
router.register("judicial/petitions", api.PetitionViewSet, basename="petition")
router.register("judicial/pool-versions", api.PoolVersionViewSet, basename="poolversion")

app_name = "judicial_api"
urlpatterns = [
    path("judicial/figures/", api.figures_api, name="figures"),
    # The .xlsx imports and their templates (the pages judicial:expert_import, :case_import).
    path("judicial/experts/import/", api.ExpertImport.as_view(), name="expert-import"),
    path(
        "judicial/experts/import/template/",
        api.ExpertImportTemplate.as_view(),
        name="expert-import-template",
    ),
    path("judicial/cases/import/", api.CaseImport.as_view(), name="case-import"),
    path(
        "judicial/cases/import/template/",
        api.CaseImportTemplate.as_view(),
        name="case-import-template",
    ),
    # The records' steps; each record is read by its viewset (a conflict, a seat, a problem:
    # by the declaration's own door).
    *(
        route
        for model in judicial_steps.PAGES
        for route in steps.api_urls(model, read=model in judicial_steps.READ_HERE)
    ),
    *router.urls,
]
