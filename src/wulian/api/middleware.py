from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from wulian.api.errors import PROBLEM, problem_response

API_PREFIX = "/api/"
logger = logging.getLogger("django.request")


class ProblemJsonMiddleware:
    """Every error answer under /api/ is problem+json.

    API views already answer that way (the DRF exception handler, the catch-all 404). This
    catches the rest: an exception that escapes a view (Django logs it with its stack trace,
    then its 500 handler renders an HTML page, which is replaced here without the trace),
    Django's own 400/403/404 pages, and errors raised by the middleware inside this one.
    Place it near the top of MIDDLEWARE so that it sees those.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        try:
            response = self.get_response(request)
        except Exception:
            # Only when Django's own error handling failed too (say, the 500 page's template).
            logger.exception("Internal Server Error: %s", request.path, extra={"request": request})
            response = HttpResponse(status=500)
        if (
            response.status_code < 400
            or response.get("Content-Type", "").startswith(PROBLEM)
            or getattr(response, "streaming", False)
        ):
            return response
        # The language of the request even when the failure came before LocaleMiddleware.
        language = translation.get_language_from_request(request)
        extra = {}
        if response.status_code >= 500 and getattr(request, "request_id", ""):
            extra["request_id"] = request.request_id  # to quote to the administrator
        with translation.override(language):
            replacement = problem_response(response.status_code, **extra)
        for header in ("Allow", "WWW-Authenticate", "Retry-After", "Vary"):
            if header in response:
                replacement[header] = response[header]
        replacement["Content-Language"] = language
        return replacement
