from django.urls import include, path

from wulian.core import views as core_views
from wulian.core.notifications import views as notification_views
from wulian.core.viewpolicy import public

urlpatterns = [
    path("", include("wulian.core.urls")),
    path("accounts/", include("wulian.accounts.urls")),
    path("rectification/", include("wulian.core.rectification.urls")),
    path("clues/", include("wulian.core.clues.urls")),
    path("bulletins/", include("wulian.core.bulletins.urls")),
    path("opinions/", include("wulian.core.opinions.urls")),
    path("polls/", include("wulian.core.polls.urls")),
    path("activities/", include("wulian.core.activities.urls")),
    path("attachments/", include("wulian.core.attachments.urls")),
    path("deadlines/", include("wulian.core.deadlines.urls")),
    path("notifications/", include("wulian.core.notifications.urls")),
    path("suggestions/", include("wulian.suggestions.urls")),
    path("judicial/", include("wulian.judicial.urls")),
    path("reports/", include("wulian.reports.urls")),
    path("consultation/", include("wulian.consultation.urls")),
    path("stations/", include("wulian.stations.urls")),
    path("inquiries/", include("wulian.inquiries.urls")),
    path("livelihood/", include("wulian.livelihood.urls")),
    path("evaluation/", include("wulian.evaluation.urls")),
    path("public/", include("wulian.portal.urls")),
    # Before the core API, whose last route answers every other /api/v1/ path with a 404.
    path("api/v1/", include("wulian.core.activities.api_urls")),
    path("api/v1/", include("wulian.core.deadlines.api_urls")),
    path("api/v1/", include("wulian.core.rectification.api_urls")),
    path("api/v1/", include("wulian.core.notifications.api_urls")),
    path("api/v1/", include("wulian.core.clues.api_urls")),
    path("api/v1/", include("wulian.core.bulletins.api_urls")),
    path("api/v1/", include("wulian.core.opinions.api_urls")),
    path("api/v1/", include("wulian.core.polls.api_urls")),
    path("api/v1/", include("wulian.core.attachments.api_urls")),
    path("api/v1/", include("wulian.suggestions.api_urls")),
    path("api/v1/", include("wulian.judicial.api_urls")),
    path("api/v1/", include("wulian.reports.api_urls")),
    path("api/v1/", include("wulian.consultation.api_urls")),
    path("api/v1/", include("wulian.stations.api_urls")),
    path("api/v1/", include("wulian.inquiries.api_urls")),
    path("api/v1/", include("wulian.livelihood.api_urls")),
    path("api/v1/", include("wulian.evaluation.api_urls")),
    path("api/v1/", include("wulian.api.urls")),
    path("i18n/setlang/", public(notification_views.set_language), name="set_language"),
    path("healthz", core_views.healthz, name="healthz"),
]

handler400 = "wulian.core.views.bad_request"
handler403 = "wulian.core.views.permission_denied"
handler404 = "wulian.core.views.page_not_found"
handler500 = "wulian.core.views.server_error"
