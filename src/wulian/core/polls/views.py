"""Pages of secret ballots: the list, a new poll, the poll page with its steps, the slips'
printing sheet (shown once), the results (page, .docx, .xlsx), the published receipts; voting
with one's account; and the two public pages — voting with a slip code and checking a receipt.

A receipt or a slip code never travels in a URL (web logs keep URLs): both are posted, and a
receipt is shown only in the answer to the cast (ADR 0022)."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wulian.core import access, pages
from wulian.core.clientip import client_ip
from wulian.core.errors import DomainError
from wulian.core.models import Organisation
from wulian.core.polls import exports, results, selectors, services
from wulian.core.polls.choices import OPTION_LABELS, PollState
from wulian.core.polls.forms import BallotForm, PollForm, ReceiptForm, SlipCodeForm
from wulian.core.polls.models import Poll
from wulian.core.polls.policies import organiser_org_ids
from wulian.core.selectors import record_timeline
from wulian.core.steps import step_of
from wulian.core.viewpolicy import policy, public

# The poll's progress as the step bar shows it, and the index of each state in it.
STEP_LABELS = [
    _("草拟"),
    _("见证开启"),
    _("投票"),
    _("计票封存"),
    _("见证确认"),
]
STATE_STEP = {
    PollState.DRAFT: 0,
    PollState.OPENING: 1,
    PollState.OPEN: 2,
    PollState.CLOSED: 3,
    PollState.SEALED: 4,
    PollState.CERTIFIED: 5,
}


def _organisers(actor: Any) -> Any:
    return Organisation.objects.filter(pk__in=organiser_org_ids(actor), is_active=True).order_by(
        "sort_order", "code"
    )


@policy("polls.poll.list")
@require_GET
def poll_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "polls/poll_list.html",
        {
            "polls": selectors.poll_list(actor=actor),
            "may_create": access.can(actor, "polls.poll.create"),
        },
    )


@policy("polls.poll.create")
def poll_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    form = PollForm(
        request.POST if request.method == "POST" else None, organisers=_organisers(actor)
    )
    return pages.form_page(
        request,
        form,
        lambda: services.poll_create(actor, **form.to_data()),
        done=_("测评（票决）已拟定。请添加投票人员或印制投票码，然后提请见证单位开启。"),
        to=lambda poll: poll.get_absolute_url(),
        template="polls/poll_form.html",
    )


def detail_page(
    request: HttpRequest, pk: int, *, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    poll = get_object_or_404(Poll.objects.select_related("organiser", "witness"), pk=pk)
    actor = access.require(request.actor, "polls.poll.see", poll)
    forms = forms or {}
    manages = access.can(actor, "polls.poll.manage", poll)
    witnesses = access.can(actor, "polls.poll.witness", poll)
    offered = {
        PollState.DRAFT: ["roster_add", "slips_issue", "open_request"],
        PollState.OPENING: ["roster_add", "slips_issue"],
        PollState.OPEN: ["close", "paper_enter"],
        PollState.CLOSED: ["paper_enter", "seal"],
    }.get(poll.state, [])
    step_forms: dict[str, Any] = {}
    if manages:
        for name in offered:
            step_forms[name] = forms.get(name) or step_of(Poll, name).page_form(actor, poll)
    if witnesses and poll.state == PollState.OPENING:
        step_forms["open_cosign"] = forms.get("open_cosign") or step_of(
            Poll, "open_cosign"
        ).page_form(actor, poll)
    if witnesses and poll.state == PollState.SEALED:
        step_forms["certify"] = forms.get("certify") or step_of(Poll, "certify").page_form(
            actor, poll
        )
    timeline = [
        e
        for e in record_timeline(target_type="polls.poll", target_id=poll.pk, limit=80)
        if e.action != "polls.ballot.cast"
    ][:50]
    context = {
        "poll": poll,
        "items": list(poll.items.all()),
        "groups": selectors.group_rows(poll),
        "paper": selectors.paper_rows(poll) if manages or witnesses else [],
        "forms": step_forms,
        "step_labels": STEP_LABELS,
        "step_index": STATE_STEP[PollState(poll.state)],
        "timeline": timeline,
        "may_vote": access.can(actor, "polls.poll.vote", poll),
        "may_results": access.can(actor, "polls.poll.results", poll),
        "voted": selectors.has_voted(actor, poll),
        "slip_url": request.build_absolute_uri(reverse("polls:slip_vote", args=[poll.pk])),
    }
    return render(request, "polls/poll_detail.html", context, status=status)


poll_detail = pages.detail_view(detail_page, "polls.poll.see")


# roster_add, slips_issue, open_request, open_cosign, close, paper_enter, seal, certify: the
# declared steps (polls/steps.py).


def slips_sheet(request: HttpRequest, poll: Poll, codes: list[str]) -> HttpResponse:
    """The printable A4 sheet of fresh slip codes, each with a QR code of the slip page whose
    fragment (#code=…, never sent to the server) fills the code in."""
    base = request.build_absolute_uri(reverse("polls:slip_vote", args=[poll.pk]))
    slips = [
        {"code": code, "qr": segno.make(f"{base}#code={code}", error="m").svg_data_uri(scale=3)}
        for code in codes
    ]
    return render(request, "polls/slips_sheet.html", {"poll": poll, "slips": slips})


def _sealed(request: HttpRequest, pk: int) -> Poll:
    poll = get_object_or_404(Poll.objects.select_related("organiser", "witness"), pk=pk)
    access.require(request.actor, "polls.poll.results", poll)
    return poll


@policy("polls.poll.results", per_record=True)
@require_GET
def poll_results(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _sealed(request, pk)
    return render(
        request,
        "polls/poll_results.html",
        {"poll": poll, "view": results.view(poll), "min_group": results.MIN_GROUP_REPORT},
    )


@policy("polls.poll.results", per_record=True)
@require_GET
def poll_results_docx(request: HttpRequest, pk: int) -> HttpResponse:
    name, body = exports.results_docx(_sealed(request, pk))
    return pages.download(body, name, exports.DOCX_CONTENT_TYPE)


@policy("polls.poll.results", per_record=True)
@require_GET
def poll_results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    name, body = exports.results_xlsx(_sealed(request, pk))
    return pages.download(body, name, exports.XLSX_CONTENT_TYPE)


def _receipt_found(poll: Poll, form: ReceiptForm) -> dict[str, Any] | None:
    """The published ballot of the receipt posted (None: none posted, or none found — then
    said on the form)."""
    if not (form.is_bound and form.is_valid()):
        return None
    found = selectors.ballot_by_receipt(poll, form.cleaned_data["receipt"])
    if found is None:
        form.add_error("receipt", _("没有这个回执码的选票，请核对。"))
    return found


@policy("polls.poll.results", per_record=True)
@require_http_methods(["GET", "POST"])
def poll_receipts(request: HttpRequest, pk: int) -> HttpResponse:
    """The published ballots under their receipts; a receipt is searched by POST (a URL
    would keep it in the web logs)."""
    poll = _sealed(request, pk)
    form = ReceiptForm(request.POST if request.method == "POST" else None)
    found = _receipt_found(poll, form)
    return render(
        request,
        "polls/poll_receipts.html",
        {
            "poll": poll,
            "form": form,
            "found": found,
            "rows": selectors.receipt_rows(poll, limit=None if found is None else 0),
        },
        status=400 if form.errors else 200,
    )


# --- Voting ----------------------------------------------------------------------------------


def _receipt_page(request: HttpRequest, poll: Poll, receipt: services.CastReceipt) -> Any:
    return render(request, "polls/receipt.html", {"poll": poll, "receipt": receipt})


@policy("polls.poll.vote", per_record=True)
@require_http_methods(["GET", "POST"])
def poll_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """A roster member votes with their account; the receipt is in the answer, once."""
    poll = get_object_or_404(Poll, pk=pk)
    actor = request.actor
    if not access.can(actor, "polls.poll.vote", poll):
        if selectors.has_voted(actor, poll):
            messages.info(request, _("您已经投过票，每人只能投一次。"))
            return redirect(poll.get_absolute_url())
        access.require(actor, "polls.poll.vote", poll)
    form = BallotForm(request.POST if request.method == "POST" else None, poll=poll)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            receipt = services.ballot_cast(actor, poll_id=poll.pk, choices=form.choices())
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            return _receipt_page(request, poll, receipt)
    elif form.is_bound:
        status = 400
    return render(
        request,
        "polls/ballot.html",
        {"poll": poll, "form": form, "slip": ""},
        status=status,
    )


def _public_poll(pk: int) -> Poll:
    poll = Poll.objects.filter(pk=pk).first()
    if poll is None or poll.state == PollState.DRAFT:
        raise Http404
    return poll


@public
@require_http_methods(["GET", "POST"])
def slip_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Voting with a slip, no account: enter the code (its group's ballot follows), choose,
    cast; the receipt is shown once. Wrong codes are counted per address."""
    poll = _public_poll(pk)
    ip = client_ip(request)
    code_form = SlipCodeForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"poll": poll, "code_form": code_form}
    status, retry = 200, 0
    if code_form.is_bound and code_form.is_valid():
        code = code_form.cleaned_data["code"]
        try:
            group = services.slip_group(poll_id=poll.pk, code=code, ip=ip)
            ballot = BallotForm(request.POST if "cast" in request.POST else None, poll=poll)
            if ballot.is_bound and ballot.is_valid():
                receipt = services.ballot_cast(
                    None, poll_id=poll.pk, choices=ballot.choices(), slip=code, ip=ip
                )
                return _receipt_page(request, poll, receipt)
            if ballot.is_bound:
                status = 400
            context.update(form=ballot, slip=code, group=group.name)
            return render(request, "polls/ballot.html", context, status=status)
        except services.CodeThrottled as exc:
            code_form.add_error(None, exc.message)
            status, retry = exc.status, exc.retry_after
        except DomainError as exc:
            code_form.add_error(
                "code" if isinstance(exc, services.WrongCode) else None, exc.message
            )
            status = exc.status
    elif code_form.is_bound:
        status = 400
    response = render(request, "polls/slip_vote.html", context, status=status)
    if retry:
        response["Retry-After"] = str(retry)
    return response


@public
@require_http_methods(["GET", "POST"])
def receipt_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone holding a receipt checks, after the sealing, that the ballot was counted as
    cast (posted, never in a URL)."""
    poll = _public_poll(pk)
    sealed = poll.state in (PollState.SEALED, PollState.CERTIFIED)
    form = ReceiptForm(request.POST if request.method == "POST" and sealed else None)
    found = _receipt_found(poll, form)
    return render(
        request,
        "polls/receipt_check.html",
        {"poll": poll, "form": form, "found": found, "sealed": sealed},
        status=400 if form.errors else 200,
    )


def option_label(option: str) -> str:
    return str(OPTION_LABELS.get(option, "")) if option else _("（未选）")
