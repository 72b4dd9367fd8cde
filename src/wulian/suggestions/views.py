"""Pages of deputies' suggestions: the ledger and its .xlsx export and import, the phone-friendly
submission form, the suggestion page with each step's form (shown only to who may take it, in
the state that allows it), joint-assignment batches, supervision orders, campaigns, and the
public page of answered suggestions (no sign-in). Each view parses input, calls one service or
selector, and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wulian.core import access, background, compiled, keyset, pages
from wulian.core import steps as declared
from wulian.core.deadlines.choices import DeadlineState
from wulian.core.errors import AccessDenied, DomainError
from wulian.core.viewpolicy import policy, public
from wulian.suggestions import exports, imports, progress, redact, selectors, services
from wulian.suggestions.choices import (
    ACTIVE_ASSIGNMENT,
    CO_REPLACE_STATES,
    DEADLINE_REPLY,
    DEADLINE_REREPLY,
    DEADLINE_VERDICT,
    AssignmentRole,
    AssignmentStatus,
    BatchState,
    OpinionState,
    Step,
    SuggestionStatus,
    SupervisionState,
    steps_from,
)
from wulian.suggestions.filters import SuggestionFilter
from wulian.suggestions.forms import (
    CampaignForm,
    ConsultationForm,
    ImportForm,
    MergeForm,
    PublishForm,
    SessionForm,
    StepForm,
    SubmitForm,
    handling_units,
    organisations,
    publication_digest,
    service_data,
)
from wulian.suggestions.models import (
    AssignmentBatch,
    Campaign,
    CampaignOpinion,
    CongressSession,
    Reply,
    Suggestion,
)
from wulian.suggestions.policies import (
    assigning_org_ids,
    congress_org_ids,
)
from wulian.suggestions.services.co_opinions import OPINION_STATES

S = SuggestionStatus
PER_PAGE = (20, 50, 100)


def _per_page(request: HttpRequest) -> int | None:
    try:
        n = int(request.GET.get("per_page") or 0)
    except ValueError:
        return None
    return n if n in PER_PAGE else None


# --- The ledger -----------------------------------------------------------------------------


@policy("suggestions.suggestion.view")
@require_GET
def suggestion_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    filters = selectors.visible_filters(actor, request.GET)
    filterset = SuggestionFilter(filters)
    if not filterset.is_valid():
        page = keyset.KeysetPage()
    else:
        qs = selectors.ledger_rows(selectors.suggestion_list(actor=actor, filterset=filterset))
        page = keyset.page_for(request, qs, per_page=_per_page(request))
    if not access.can(actor, "suggestions.verdict.view"):
        del filterset.form.fields["verdict"]
    return render(
        request,
        "suggestions/suggestion_list.html",
        {
            "page": page,
            "filter": filterset,
            "query": keyset.query_without_cursor(request),
            "can_submit": access.can(actor, "suggestions.suggestion.submit"),
            "can_import": access.can(actor, "suggestions.suggestion.import"),
            "can_concentration": access.can(actor, "suggestions.concentration.view"),
            # The reports of concentrated opinions to the CDI: the CDI's side reaches them here.
            "can_concentration_reports": access.can(actor, "suggestions.concentrationreport.view"),
            "can_assign": access.can(actor, "suggestions.suggestion.assign"),
            "can_manage": access.can(actor, "suggestions.suggestion.manage"),
            "can_view_batches": access.can(actor, "suggestions.batch.view"),
            "may_see_verdicts": access.can(actor, "suggestions.verdict.view"),
        },
    )


@policy("suggestions.suggestion.export")
@require_GET
def suggestion_export(request: HttpRequest) -> HttpResponse:
    """The ledger's .xlsx: at once up to a few hundred rows, else a background export whose
    page shows its progress (core.background)."""
    filters = {k: v for k, v in request.GET.items() if v not in ("", None)}
    return background.export_response(
        request,
        kind=exports.BACKGROUND_KIND,
        title=_("导出代表建议台账"),
        filename=_("代表建议台账-%(d)s.xlsx") % {"d": timezone.localdate().strftime("%Y%m%d")},
        params=filters,
        total=exports.ledger_rows(actor=request.actor, filters=filters),
        now=lambda: exports.ledger_workbook(actor=request.actor, filters=request.GET),
        content_type=exports.XLSX_CONTENT_TYPE,
    )


@policy("suggestions.suggestion.import")
def suggestion_import(request: HttpRequest) -> HttpResponse:
    return pages.import_page(
        request,
        ImportForm(request.POST or None, request.FILES or None),
        lambda d: imports.suggestions_import(
            actor=request.actor, session_id=d["session"].pk, file=d["file"]
        ),
        done=lambda result: _("已导入 %(n)d 件代表建议。") % {"n": result.counts["created"]},
        back=reverse("suggestions:suggestion_list"),
        template="suggestions/import.html",
        queued=lambda d: background.queue_import(
            request,
            kind=imports.BACKGROUND_KIND,
            title=_("导入代表建议"),
            upload=d["file"],
            params={"session": d["session"].pk},
        ),
    )


@policy("suggestions.suggestion.import")
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    return pages.download(imports.template_workbook(), _("代表建议导入模板.xlsx"))


# --- Sessions -------------------------------------------------------------------------------


@policy("suggestions.suggestion.manage")
def session_list(request: HttpRequest) -> HttpResponse:
    form = SessionForm(request.POST or None)
    return pages.form_page(
        request,
        form,
        lambda: services.session_create(actor=request.actor, data=service_data(form)),
        done=_("会次已保存。"),
        to="suggestions:session_list",
        template="suggestions/session_list.html",
        sessions=CongressSession.objects.select_related("office").order_by("-opens_on", "-id"),
    )


# --- Submission -----------------------------------------------------------------------------


@policy("suggestions.suggestion.submit")
def suggestion_submit(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    staff = bool(congress_org_ids(actor))
    form = SubmitForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        staff=staff,
        person_id=actor.person_id,
    )
    return pages.form_page(
        request,
        form,
        lambda: services.suggestion_submit(
            actor=actor, data=form.to_data(), files=form.cleaned_data.get("files") or []
        ),
        done=lambda s: (
            _("建议已提交，编号为%(session)s%(n)s。审查结果将通知您。")
            % {"session": s.session.name, "n": s.number_label}
        ),
        to=lambda s: s.get_absolute_url(),
        template="suggestions/suggestion_form.html",
        staff=staff,
    )


# --- The suggestion page ----------------------------------------------------------------------


def _page(
    request: HttpRequest,
    pk: int,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    actor = request.actor
    try:
        s = selectors.suggestion_detail(actor=actor, suggestion_id=pk)
    except (Suggestion.DoesNotExist, AccessDenied):
        raise Http404 from None  # its existence is not told
    h = selectors.handling(actor=actor, suggestion=s)
    forms = forms or {}
    steps = set(steps_from(s.status))
    can = lambda action: access.can(actor, action, s)  # noqa: E731

    def offer(name: str, record: Any = s, initial: Any = None, **kwargs: Any) -> Any:
        return _offer(request, forms, record, name, record is not s, initial, **kwargs)

    ctx: dict[str, Any] = {
        "s": s,
        "h": h,
        "timeline": selectors.suggestion_timeline(actor=actor, suggestion=s),
        "States": SuggestionStatus,
        "cosigners": list(s.cosigners.all()),
        "pending_extension": selectors.pending_extension(h),
        "live_orders": [o for o in h.orders if o.state != SupervisionState.CLOSED],
        "can_clue": access.can(actor, "clues.clue.create"),
        "progress": progress.of(s, deadlines=h.deadlines, assignments=h.assignments),
    }
    # The co-units' opinions the lead unit waits for (and until when): shown to the lead unit
    # and to the congress office, which may waive one.
    may_waive = [
        a
        for a in h.assignments
        if a.role == AssignmentRole.CO
        and a.status in ACTIVE_ASSIGNMENT
        and access.can(actor, "suggestions.assignment.waive", a)
    ]
    awaited = (
        services.awaited_opinions(s)
        if s.status in OPINION_STATES and (h.lead_role or may_waive)
        else []
    )
    ctx["awaited"] = awaited
    ctx["waive"] = [
        {"w": w, "form": offer("waive", w.assignment)}
        for w in awaited
        if any(a.pk == w.assignment.pk for a in may_waive)
    ]
    if Step.WITHDRAW in steps and can("suggestions.suggestion.withdraw"):
        ctx["withdraw_form"] = offer("withdraw")
    if Step.REVIEW_ACCEPT in steps and can("suggestions.suggestion.review"):
        ctx["accept_form"] = offer("accept")
        ctx["reject_form"] = offer("reject")
        ctx["as_letter_form"] = offer("as_letter")
    # After 不满意: the office reassigns (重新交办); the unit re-replies only after that.
    awaiting_reassignment = s.status == S.REOPENED and s.reassigned_at is None
    ctx["awaiting_reassignment"] = awaiting_reassignment
    if awaiting_reassignment and can("suggestions.suggestion.review"):
        ctx["reassign_form"] = offer("reassign")
    # Only a suggestion waiting for assignment can be in a batch waiting for confirmation.
    ctx["batches"] = (
        [
            b
            for b in selectors.proposed_batches_containing(s)
            if access.can(actor, "suggestions.batch.view", b)
        ]
        if Step.PROPOSE in steps
        else []
    )
    if Step.PROPOSE in steps and can("suggestions.suggestion.assign") and not ctx["batches"]:
        ctx["propose_form"] = offer("propose")
        from wulian.suggestions import analytics

        ctx["lead_advice"] = analytics.lead_unit_advice(actor=actor, suggestions=[s]).get(s.pk)
    respond = [
        a
        for a in h.my_assignments
        if a.status == AssignmentStatus.ASSIGNED
        and access.can(actor, "suggestions.assignment.respond", a)
    ]
    ctx["replace"] = [
        {
            "a": a,
            "form": offer("replace", a, exclude={x.unit_id for x in h.assignments}),
        }
        for a in h.assignments
        if a.role == AssignmentRole.CO
        and a.status == AssignmentStatus.SENT_BACK
        and a.settled_at is None
        and s.status in CO_REPLACE_STATES
        and access.can(actor, "suggestions.assignment.replace", a)
    ]
    ctx["respond"] = [
        {
            "a": a,
            "receive_form": offer("receive", a),
            "send_back_form": offer("send_back", a),
            "may_send_back": timezone.now() <= a.respond_by,
        }
        for a in respond
    ]
    if h.lead_role and Step.CONTACT in steps and can("suggestions.suggestion.handle"):
        now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        ctx["contact_form"] = offer("contact", initial={"contacted_at": now})
    if h.co_role and s.status in (S.ASSIGNED, S.HANDLING, S.REOPENED):
        ctx["opinion_form"] = offer("opinion")
    if Step.REPLY in steps and h.lead_role and not awaiting_reassignment:
        ctx["reply_form"] = offer("reply")
    asked_on = DEADLINE_REREPLY if s.status == S.REOPENED else DEADLINE_REPLY
    if (
        h.lead_role
        and s.status in (S.ASSIGNED, S.HANDLING, S.REOPENED)
        and any(d.kind == asked_on and d.is_live for d in h.deadlines)
        and ctx["pending_extension"] is None
    ):
        ctx["extension_form"] = offer("extension")
    if ctx["pending_extension"] is not None and can("suggestions.suggestion.manage"):
        pending = {"extension": ctx["pending_extension"].pk}
        ctx["decide_form"] = offer("extension_decision", initial=pending)
    if Step.VERDICT in steps and can("suggestions.verdict.give"):
        ctx["verdict_form"] = offer("verdict")
    if s.status == S.ANSWERED:
        # The deputy's 征询意见表 is due this many working days after the reply.
        ctx["verdict_deadline"] = next(
            (d for d in h.deadlines if d.kind == DEADLINE_VERDICT and d.is_live), None
        )
        ctx["verdict_overdue"] = ctx["verdict_deadline"] is not None and (
            ctx["verdict_deadline"].state == DeadlineState.OPEN
            and timezone.now() > ctx["verdict_deadline"].due_at
        )
    if s.assigned_at is not None and s.status != S.WITHDRAWN:
        if can("suggestions.suggestion.supervise"):
            ctx["supervise_form"] = offer("supervise")
        if can("suggestions.suggestion.follow_up"):
            ctx["follow_up_form"] = offer("follow_up")
    if s.status not in (S.SUBMITTED, S.NOT_ACCEPTED, S.AS_LETTER, S.WITHDRAWN) and can(
        "suggestions.suggestion.mark_key"
    ):
        key = {"is_key": s.is_key, "leader": s.key_leader_id, "decided_on": s.key_decided_on}
        ctx["key_form"] = offer("key", initial=key)
    if can("suggestions.suggestion.manage"):
        # Publishing is approved on its own page (texts and preview); taking it back is here.
        ctx["may_publish"] = s.status in (S.ANSWERED, S.CLOSED)
        if s.public:
            ctx["unpublish_form"] = offer("unpublish")
    ctx["orders"] = [
        {
            "o": o,
            "respond_form": offer("respond", o)
            if o.state == SupervisionState.ISSUED
            and access.can(actor, "suggestions.supervisionorder.respond", o)
            else None,
            "close_form": offer("close", o)
            if o.state == SupervisionState.RESPONDED
            and access.can(actor, "suggestions.supervisionorder.close", o)
            else None,
            "escalate_form": offer("escalate", o)
            if o.escalated_to_cdi_at is None and can("suggestions.suggestion.escalate")
            else None,
        }
        for o in h.orders
    ]
    ctx["documents"] = _documents(actor, s, h)
    _merge_context(request, s, ctx, forms)
    # A refusal for a step whose form the page no longer offers (the suggestion moved on
    # meanwhile) is shown above the steps.
    shown = {id(f) for f in ctx.values() if hasattr(f, "errors")}
    shown |= {id(f) for r in ctx["respond"] for f in r.values() if hasattr(f, "errors")}
    shown |= {id(r["form"]) for r in ctx["replace"]}
    shown |= {id(r["form"]) for r in ctx["waive"]}
    shown |= {id(f) for r in ctx["orders"] for f in r.values() if hasattr(f, "errors")}
    if error and not any(id(f) in shown for f in forms.values()):
        ctx["step_error"] = error
    return render(request, "suggestions/suggestion_detail.html", ctx, status=status)


def _documents(actor: Any, s: Suggestion, h: Any) -> list[dict[str, str]]:
    """The suggestion's documents for those who may have them: the 交办单 while assigned, the
    答复函 (pre-filled for the lead unit drafting it; as sent for the others once replied) and
    each supervision order's 督办通知."""
    docs = []
    if any(a.role == AssignmentRole.LEAD and a.status in ACTIVE_ASSIGNMENT for a in h.assignments):
        docs.append(
            {
                "label": _("交办单（Word）"),
                "url": reverse("suggestions:assignment_sheet_docx", args=[s.pk]),
            }
        )
    if access.can(actor, "suggestions.suggestion.handle", s) and h.lead_role:
        label = _("答复函（已预填，Word）") if s.reply_round == 0 else _("答复函（Word）")
        docs.append({"label": label, "url": reverse("suggestions:reply_letter_docx", args=[s.pk])})
    elif s.reply_round > 0:
        docs.append(
            {
                "label": _("答复函（Word）"),
                "url": reverse("suggestions:reply_letter_docx", args=[s.pk]),
            }
        )
    for o in h.orders:
        if access.can(actor, "suggestions.supervisionorder.view", o):
            docs.append(
                {
                    "label": _("督办通知（%(kind)s，%(day)s，Word）")
                    % {
                        "kind": o.get_kind_display(),
                        "day": timezone.localtime(o.issued_at).strftime("%Y-%m-%d"),
                    },
                    "url": reverse("suggestions:supervision_notice_docx", args=[o.pk]),
                }
            )
    return docs


def _offer(
    request: HttpRequest,
    forms: dict[str, Any],
    record: Any,
    name: str,
    keyed: bool = False,
    initial: Any = None,
    **kwargs: Any,
) -> Any:
    """The form of the step `name` on `record` as a page offers it (declared in steps.py), or
    the one refused, with its errors: `forms[name]`, or `forms["<name>-<id>"]` for one of
    several records on the page (`keyed`)."""
    refused = forms.get(f"{name}-{record.pk}" if keyed else name)
    step = declared.step_of(type(record), name)
    return refused or step.page_form(request.actor, record, initial, **kwargs)


def _merge_context(
    request: HttpRequest, s: Suggestion, ctx: dict[str, Any], forms: dict[str, Any]
) -> None:
    """并案: the suggestions merged into this one (with a split form while they wait for
    assignment) and, for those who may merge, the similar ones proposed with their scores."""
    from wulian.suggestions import analytics, merging

    actor = request.actor
    may = access.can(actor, "suggestions.suggestion.merge", s)
    merged = compiled.objects(
        "suggestions.page.merged",
        lambda pk: Suggestion.objects.filter(merged_into_id=pk).order_by("number", "id"),
        pk=s.pk,
    )
    for m in merged:  # as the related manager leaves them
        m.merged_into = s
    ctx["merged"] = [
        {
            "s": m,
            "unmerge_form": StepForm(initial={"version": m.version}, prefix=f"m{m.pk}")
            if may and m.status in merging.MERGE_STATES and s.status in merging.MERGE_STATES
            else None,
        }
        for m in merged
    ]
    if may and s.merged_into_id is not None and s.status in merging.MERGE_STATES:
        ctx["unmerge_form"] = forms.get("unmerge") or StepForm(initial={"version": s.version})
    if not may or s.merged_into_id is not None or s.status not in merging.MERGE_STATES:
        return
    similar = [
        x
        for x in analytics.similar_for(actor=actor, suggestion=s, k=8)
        if x.status in merging.MERGE_STATES
    ]
    versions = dict(
        Suggestion.objects.filter(
            pk__in=[x.id for x in similar], merged_into__isnull=True, merged__isnull=True
        ).values_list("pk", "version")
    )
    ctx["merge_proposals"] = [x for x in similar if x.id in versions]
    choices = [
        (
            f"{x.id}:{versions[x.id]}",
            _("第%(n)d号 %(t)s（相似度 %(score).2f）")
            % {"n": x.number, "t": x.title, "score": x.score},
        )
        for x in ctx["merge_proposals"]
    ]
    if choices:
        ctx["merge_form"] = forms.get("merge") or MergeForm(
            initial={"version": s.version}, choices=choices
        )


@policy("suggestions.suggestion.view", per_record=True)
@require_GET
def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, pk)


def _preview(pub: selectors.Publication, texts: dict[str, str]) -> dict[str, Any]:
    """What the public page will show for these texts (`public_body`, the same fragment as
    the public page renders) and, per text, where automatic redaction masks it."""
    names = pub.names
    s = pub.suggestion
    replies = []
    for r in s.replies.select_related("unit").order_by("round"):
        text = texts.get(f"reply_{r.round}") or ""
        if text:
            replies.append(_public_reply(r, redact.redact(text, names)))
    return {
        "body": {
            "s": s,
            "title": redact.redact(texts.get("title") or "", names),
            "content": redact.redact(texts.get("content") or "", names),
            "replies": replies,
        },
        "texts": [
            {
                "t": t,
                "proposed": redact.segments(texts.get(t.field) or "", names),
                "original": redact.segments(t.original, names),
            }
            for t in pub.texts
        ],
    }


def publish_page(
    request: HttpRequest, s: Suggestion, form: PublishForm | None = None, status: int = 200
) -> HttpResponse:
    """The publish step's own page (steps.py): the texts the public page will show, pre-filled
    with the approved texts of a published suggestion, else the originals after automatic
    redaction, with their preview; "预览" shows the preview of what was typed, "批准公开"
    approves exactly what was previewed."""
    pub = selectors.publication(suggestion=s)
    if form is None:
        form = PublishForm(initial={"version": s.version, **pub.initial()}, texts=pub.texts)
    texts = form.texts()
    return render(
        request,
        "suggestions/publish.html",
        {
            "s": s,
            "form": form,
            "preview": _preview(pub, texts),
            "previewed": publication_digest(texts),
            "publishable": s.status in (S.ANSWERED, S.CLOSED),
            "unpublish_form": StepForm(initial={"version": s.version}) if s.public else None,
        },
        status=status,
    )


# --- Joint assignment batches -----------------------------------------------------------------


batch_list = pages.list_view(
    "suggestions.batch.view",
    "suggestions/batch_list.html",
    selectors.batch_list,
    can_assign="suggestions.suggestion.assign",
)


def _batch_items(request: HttpRequest) -> list[dict[str, Any]]:
    """The rows ticked on the batch form: `pick` = suggestion ids; `v_<id>`, `lead_<id>`,
    `co_<id>` for each."""
    items = []
    for raw in request.POST.getlist("pick"):
        try:
            sid = int(raw)
            items.append(
                {
                    "suggestion_id": sid,
                    "version": int(request.POST.get(f"v_{sid}") or 0),
                    "lead_unit_id": request.POST.get(f"lead_{sid}") or None,
                    "co_unit_ids": [int(c) for c in request.POST.getlist(f"co_{sid}") if c],
                }
            )
        except ValueError:
            continue
    return items


@policy("suggestions.suggestion.assign")
def batch_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    error = None
    status = 200
    if request.method == "POST":
        consultation = request.POST.get("consultation") or None
        try:
            batch = services.batch_propose(
                actor=actor,
                items=_batch_items(request),
                note=request.POST.get("note") or "",
                consultation_id=int(consultation) if consultation else None,
            )
        except (DomainError, ValueError) as exc:
            error = getattr(exc, "message", str(exc))
            status = getattr(exc, "status", 400)
        else:
            messages.success(request, _("已拟定联合交办，等待另一方会签。"))
            return redirect(batch.get_absolute_url())
    from wulian.core.activities.models import Activity
    from wulian.suggestions import analytics

    rows = selectors.proposable(actor=actor, filters=request.GET)
    advice = analytics.lead_unit_advice(actor=actor, suggestions=rows)
    for row in rows:
        row.lead_advice = advice.get(row.pk)  # type: ignore[attr-defined]
    consultations = Activity.objects.filter(
        kind="joint_meeting", organiser_id__in=assigning_org_ids(actor)
    ).order_by("-starts_at")[:50]
    return render(
        request,
        "suggestions/batch_form.html",
        {
            "rows": rows,
            "units": list(handling_units()),
            "consultations": consultations,
            "error": error,
            "picked": set(request.POST.getlist("pick")),
        },
        status=status,
    )


def _batch_page(
    request: HttpRequest, pk: int, *, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    get_object_or_404(AssignmentBatch, pk=pk)
    batch, rows = selectors.batch_detail(actor=request.actor, batch_id=pk)
    forms = forms or {}
    ctx: dict[str, Any] = {"batch": batch, "rows": rows}
    if batch.state == BatchState.PROPOSED and access.can(
        request.actor, "suggestions.batch.confirm", batch
    ):
        ctx["confirm_form"] = _offer(request, forms, batch, "confirm")
        ctx["return_form"] = _offer(request, forms, batch, "return")
    return render(request, "suggestions/batch_detail.html", ctx, status=status)


batch_detail = pages.detail_view(_batch_page, "suggestions.batch.view")


@policy("suggestions.suggestion.assign")
def consultation_create(request: HttpRequest) -> HttpResponse:
    mine = organisations(assigning_org_ids(request.actor))
    form = ConsultationForm(pages.bound(request), organisers=mine)
    return pages.form_page(
        request,
        form,
        lambda: services.consultation_record(actor=request.actor, data=service_data(form)),
        done=_("提前会商已记录，拟定联合交办时可选择该会商。"),
        to="suggestions:batch_create",
        template="suggestions/consultation_form.html",
    )


# --- Campaigns (三进三促) ------------------------------------------------------------------


@policy("suggestions.campaign.view")
def campaign_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    campaigns = selectors.campaign_list(actor=actor)
    if not access.can(actor, "suggestions.campaign.manage"):
        if request.method == "POST":
            access.require(actor, "suggestions.campaign.manage")
        context = {"campaigns": campaigns, "form": None}
        return render(request, "suggestions/campaign_list.html", context)
    form = CampaignForm(pages.bound(request), organisers=organisations(congress_org_ids(actor)))
    return pages.form_page(
        request,
        form,
        lambda: services.campaign_create(actor=actor, data=service_data(form)),
        done=_("活动已创建。"),
        to=lambda campaign: campaign.get_absolute_url(),
        template="suggestions/campaign_list.html",
        campaigns=campaigns,
    )


def _campaign_page(
    request: HttpRequest, pk: int, *, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    actor = request.actor
    campaign = get_object_or_404(Campaign.objects.select_related("organiser"), pk=pk)
    access.require(actor, "suggestions.campaign.view", campaign)
    forms = forms or {}
    page = keyset.page_for(request, selectors.campaign_opinions(actor=actor, campaign=campaign))
    manage = access.can(actor, "suggestions.campaign.manage", campaign)
    rows = []
    for o in page.object_list:
        row: dict[str, Any] = {"o": o}
        if manage and o.state != OpinionState.COMPLETED:
            row["assign_form"] = _offer(request, forms, o, "assign", True, {"unit": o.unit_id})
        if o.state == OpinionState.ASSIGNED and access.can(
            actor, "suggestions.opinion.complete", o
        ):
            row["complete_form"] = _offer(request, forms, o, "complete", True)
        rows.append(row)
    register_form = None
    if access.can(actor, "suggestions.opinion.register", campaign):
        register_form = _offer(request, forms, campaign, "register")
    counts = CampaignOpinion.objects.filter(campaign=campaign)
    return render(
        request,
        "suggestions/campaign_detail.html",
        {
            "campaign": campaign,
            "page": page,
            "rows": rows,
            "query": keyset.query_without_cursor(request),
            "register_form": register_form,
            "collected": counts.count(),
            "completed": counts.filter(state=OpinionState.COMPLETED).count(),
        },
        status=status,
    )


campaign_detail = pages.detail_view(_campaign_page, "suggestions.campaign.view")


# --- Publication (no sign-in) -------------------------------------------------------------------


def _public_reply(r: Reply, text: str) -> dict[str, Any]:
    return {
        "round": r.round,
        "category": r.get_category_display(),
        "unit": r.unit.name,
        "sent_at": r.sent_at,
        "text": text,
    }


@public
@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    page = keyset.page_for(request, selectors.public_list(filters=request.GET))
    names = selectors.public_names_for(suggestion_ids=[s.pk for s in page.object_list])
    for s in page.object_list:
        s.shown_title = redact.redact(s.public_title, names.get(s.pk, ()))
    return render(
        request,
        "suggestions/public_list.html",
        {
            "page": page,
            "query": keyset.query_without_cursor(request),
            "q": request.GET.get("q", ""),
        },
    )


@public
@require_GET
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the approved texts, passed through redaction once more (the second line)."""
    s = selectors.public_list().filter(pk=pk).only(*_PUBLIC_DETAIL_FIELDS).first()
    if s is None:
        raise Http404
    names = selectors.public_names(suggestion_id=pk)
    replies = [
        _public_reply(r, redact.redact(r.published_text, names))
        for r in selectors.public_replies(suggestion_id=pk)
    ]
    title = redact.redact(s.public_title, names)
    return render(
        request,
        "suggestions/public_detail.html",
        {
            "title": title,
            "body": {
                "s": s,
                "title": title,
                "content": redact.redact(s.public_content, names),
                "replies": replies,
            },
        },
    )


_PUBLIC_DETAIL_FIELDS = (
    "id",
    "session__name",
    "number",
    "public_title",
    "public_content",
    "category",
    "lead_unit__name",
)
