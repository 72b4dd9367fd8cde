"""Pages of opinion rounds: the ledger (征求意见台账), the adoption figures, the round page
with its draft (any version), invitees, comments and steps, the 意见采纳情况说明 (.docx), and the
form that starts a round. Each view parses input, calls one service or selector, and renders."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wulian.core import access, pages
from wulian.core.models import Organisation
from wulian.core.opinions import exports, selectors, services
from wulian.core.opinions.choices import RoundState
from wulian.core.opinions.forms import RoundForm
from wulian.core.opinions.models import OpinionRound
from wulian.core.opinions.policies import comments_shown, drafter_org_ids, drafting_side
from wulian.core.steps import step_of
from wulian.core.viewpolicy import policy


def _drafters(actor: Any) -> Any:
    return Organisation.objects.filter(pk__in=drafter_org_ids(actor), is_active=True).order_by(
        "sort_order", "code"
    )


def _year(request: HttpRequest) -> int | None:
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        return None
    return year if year is None or 1900 <= year <= 9999 else None


@policy("opinions.round.view")
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state") or ""
    year = _year(request)
    rounds = list(selectors.round_ledger(actor=request.actor, year=year, state=state)[:500])
    return render(
        request,
        "opinions/ledger.html",
        {
            "rounds": rounds,
            "year": year,
            "state": state,
            "states": RoundState.choices,
            "may_create": access.can(request.actor, "opinions.round.create"),
        },
    )


@policy("opinions.figures.view")
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    from django.conf import settings

    year = _year(request)
    return render(
        request,
        "opinions/figures.html",
        {
            "year": year,
            "groups": selectors.figures(actor=request.actor, year=year),
            "least": settings.OPINION_FIGURES_MIN_COMMENTERS,
        },
    )


def _detail_page(
    request: HttpRequest, pk: int, *, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    get_object_or_404(OpinionRound, pk=pk)
    actor = request.actor
    round_ = selectors.round_detail(actor=actor, round_id=pk)
    forms = forms or {}
    versions = list(round_.versions.all())
    current = versions[-1]
    try:
        wanted = int(request.GET.get("v") or current.number)
    except ValueError:
        wanted = current.number
    shown = next((v for v in versions if v.number == wanted), current)
    drafting = drafting_side(actor, round_)
    comments = comments_shown(actor, round_, list(round_.comments.all()))
    counts: dict[int, int] = {}
    for c in comments:
        if c.paragraph_id:
            counts[c.paragraph_id] = counts.get(c.paragraph_id, 0) + 1
    invitees = list(round_.invitees.all())
    if not drafting:
        from wulian.core.opinions.policies import my_invitees

        invitees = my_invitees(actor, round_)
    live = round_.state in (RoundState.DRAFT, RoundState.OPEN)
    context: dict[str, Any] = {
        "round": round_,
        "versions": versions,
        "current": current,
        "shown": shown,
        "counts": counts,
        "invitees": invitees,
        "commented": {c.invitee_id for c in round_.comments.all()},
        "comments": comments,
        "drafting": drafting,
        "pending": sum(1 for c in round_.comments.all() if not c.disposition),
        "timeline": selectors.timeline(actor, round_),
    }
    if drafting:
        for name in ("add_version", "invite") if live else ():
            context[f"{name}_form"] = forms.get(name) or step_of(OpinionRound, name).page_form(
                actor, round_
            )
        if round_.state == RoundState.DRAFT:
            context["open_form"] = forms.get("open") or step_of(OpinionRound, "open").page_form(
                actor, round_
            )
        if round_.state == RoundState.OPEN:
            context["close_form"] = forms.get("close") or step_of(OpinionRound, "close").page_form(
                actor, round_
            )
        if round_.state in (RoundState.OPEN, RoundState.CLOSED):
            context["dispose_url"] = reverse("opinions:round_dispose", args=[round_.pk])
            context["dispose_form"] = forms.get("dispose")
        # Concluding is offered once comments can no longer come (the close has passed).
        if (
            "conclude" in forms
            or round_.state == RoundState.CLOSED
            or (round_.state == RoundState.OPEN and round_.closes_at <= timezone.now())
        ):
            context["conclude_form"] = forms.get("conclude") or step_of(
                OpinionRound, "conclude"
            ).page_form(actor, round_)
    if access.can(actor, "opinions.round.comment", round_):
        if selectors.mine_unanswered(actor, round_) or "comment" in forms:
            context["comment_form"] = forms.get("comment") or step_of(
                OpinionRound, "comment"
            ).page_form(actor, round_, initial={"paragraph": request.GET.get("p") or None})
        if selectors.mine_silent(actor, round_) or "no_opinion" in forms:
            context["no_opinion_form"] = forms.get("no_opinion") or step_of(
                OpinionRound, "no_opinion"
            ).page_form(actor, round_)
    return render(request, "opinions/round_detail.html", context, status=status)


round_detail = pages.detail_view(_detail_page, "opinions.round.view")


# add_version, invite, open, comment, no_opinion, dispose, close, conclude: the declared
# steps (opinions/steps.py).


@policy("opinions.round.view", per_record=True)
@require_GET
def explanation_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The 意见采纳情况说明 of a concluded round (the drafting side may preview it before)."""
    get_object_or_404(OpinionRound, pk=pk)
    round_ = selectors.round_detail(actor=request.actor, round_id=pk)
    if round_.state != RoundState.CONCLUDED and not drafting_side(request.actor, round_):
        raise Http404
    name, body = exports.explanation_docx(round_)
    return pages.download(body, name, exports.DOCX_CONTENT_TYPE)


@policy("opinions.round.create")
def round_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    form = RoundForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        drafters=_drafters(actor),
    )
    return pages.form_page(
        request,
        form,
        lambda: services.round_create(actor=actor, data=form.to_data()),
        done=_("征求意见已建立。请邀请单位或人员，核对后发出。"),
        to=lambda round_: round_.get_absolute_url(),
        template="opinions/round_form.html",
    )
