"""The public portal's pages, mounted at /public/ (no sign-in; docs/adr/0032-public-portal.md)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wulian.core.viewpolicy import public
from wulian.portal import selectors, ui


@public
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """公开信息: what each section holds, each a link to its page."""
    return render(request, "portal/home.html", {"home": selectors.home()})


@public
@require_GET
def inquiries(request: HttpRequest) -> HttpResponse:
    """专题询问结果公开: the inquiries whose 审议意见 was sent, and the commitments kept."""
    rows = selectors.public_inquiries()
    for i in rows:
        i.commitment_rows = ui.commitment_rows(i.commitments)  # type: ignore[attr-defined]
    return render(request, "portal/inquiries.html", {"inquiries": rows})
