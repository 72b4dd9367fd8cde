"""The steps of a deputy's suggestion, declared once (wulian.core.steps, ADR 0017): the record
pages' forms and `POST /api/v1/<records>/{id}/<step>/` are made from them.

- the suggestion (`/api/v1/suggestions/{id}/<step>/`): withdraw, review (accept, reject),
  propose an assignment, merge, unmerge, contact the deputy, a co-unit's opinion, the reply,
  ask for more time and decide on it, the deputy's verdict, supervise (201: the new order),
  a follow-up visit (201: the new activity; the page goes to it), key suggestion, publish (on
  its own page, with the preview) and take off the public page;
- an assignment (`suggestion-assignments/{id}/`): receive, send back, replace a co-unit that
  sent it back (or drop it);
- a supervision order (`suggestion-orders/{id}/`): respond, close, escalate to the CDI;
- a joint-assignment batch (`suggestion-batches/{id}/`): confirm, return;
- a campaign (`suggestion-campaigns/{id}/opinions/`): register an opinion (201: the opinion);
- a campaign opinion (`campaign-opinions/{id}/`): assign, complete.

The records are read through the app's own API (`api.py`)."""

from __future__ import annotations

from typing import Any

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wulian.core import access, steps
from wulian.core.errors import ConcurrentEdit, TransitionNotAllowed
from wulian.core.steps import RecordBinding, Step
from wulian.core.templatetags.ui import when_text
from wulian.suggestions import merging, progress, selectors, services
from wulian.suggestions.api import (
    AssignmentOutSerializer,
    BatchSerializer,
    CampaignSerializer,
    OpinionSerializer,
    OrderSerializer,
    SuggestionDetailSerializer,
)
from wulian.suggestions.choices import AssignmentRole, AssignmentStatus
from wulian.suggestions.forms import (
    AsLetterForm,
    BatchReturnForm,
    ConcentrationReportForm,
    ContactForm,
    CoUnitReplaceForm,
    EscalateForm,
    ExtensionDecideForm,
    ExtensionForm,
    FollowUpForm,
    KeyForm,
    MergeForm,
    OpinionAssignForm,
    OpinionCompleteForm,
    OpinionForm,
    OpinionRegisterForm,
    OrderCloseForm,
    OrderRespondForm,
    ProposeForm,
    PublishForm,
    ReassignForm,
    RejectForm,
    ReplyForm,
    SendBackForm,
    StepForm,
    SupervisionForm,
    UnmergeForm,
    VerdictForm,
    WaiveForm,
    WithdrawForm,
    organisations,
    publication_digest,
    publication_replies,
    publication_texts,
)
from wulian.suggestions.models import (
    Assignment,
    AssignmentBatch,
    Campaign,
    CampaignOpinion,
    Suggestion,
    SupervisionOrder,
)
from wulian.suggestions.policies import (
    assigning_org_ids,
    congress_org_ids,
    stationed_org_ids,
)

VIEW = "suggestions.suggestion.view"
verdict_done = services.reopening.verdict_done


# --- How the pages show a form's errors ---------------------------------------------------------


def _on_suggestion_page(request: Any, record: Any, step: Step, form: Any, **kw: Any) -> Any:
    """The suggestion page again, the form with its errors where the page shows it (a form of
    an assignment or an order is keyed `<step>-<id>` there)."""
    from wulian.suggestions.views import _page

    if isinstance(record, Suggestion):
        suggestion_id, key = record.pk, step.name
    else:
        suggestion_id, key = record.suggestion_id, f"{step.name}-{record.pk}"
    return _page(request, suggestion_id, forms={key: form}, status=kw["status"], error=kw["error"])


def _on_batch_page(request: Any, batch: Any, step: Step, form: Any, **kw: Any) -> Any:
    from wulian.suggestions.views import _batch_page

    return _batch_page(request, batch.pk, forms={step.name: form}, status=kw["status"])


def _on_campaign_page(request: Any, record: Any, step: Step, form: Any, **kw: Any) -> Any:
    """The campaign page again: an opinion's form is keyed `<step>-<id>` there."""
    from wulian.suggestions.views import _campaign_page

    if isinstance(record, Campaign):
        campaign_id, key = record.pk, step.name
    else:
        campaign_id, key = record.campaign_id, f"{step.name}-{record.pk}"
    return _campaign_page(request, campaign_id, forms={key: form}, status=kw["status"])


def _on_publish_page(request: Any, s: Suggestion, form: Any, status: int) -> Any:
    from wulian.suggestions.views import publish_page

    return publish_page(request, s, form, status)


# --- The records --------------------------------------------------------------------------------


def _suggestion_answer(s: Suggestion, actor: access.Actor) -> dict[str, Any]:
    """The suggestion as this person now sees it (verdicts only for who may see them); only
    its id once the step took it out of their view."""
    if not access.can(actor, VIEW, s):
        return {"id": s.pk}
    prefetch_related_objects([s], "cosigners__person", "assignments__unit")
    may_see = access.can(actor, "suggestions.verdict.view", s)
    return SuggestionDetailSerializer(s, context={"may_see_verdicts": may_see}).data


steps.record(
    RecordBinding(
        model=Suggestion,
        queryset=lambda: Suggestion.objects.select_related("session", "lead_deputy", "lead_unit"),
        view_action=VIEW,
        invalid=_on_suggestion_page,
        hidden=True,  # its existence is not told to who may not see it
        api_path="suggestions",
        api_name="suggestion",
        serialize=_suggestion_answer,
        response=SuggestionDetailSerializer,
    )
)


def _of_suggestion(model: Any, serializer: Any, **kw: Any) -> RecordBinding:
    """A record seen by whoever sees its suggestion (an assignment, a supervision order), its
    form on the suggestion's page; its steps are checked on it."""
    return RecordBinding(
        model=model,
        response=serializer,
        view_action=VIEW,
        view_of=lambda r: r.suggestion,
        invalid=_on_suggestion_page,
        hidden=True,
        **kw,
    )


for _record in (
    _of_suggestion(
        Assignment,
        AssignmentOutSerializer,
        queryset=lambda: Assignment.objects.select_related("unit", "suggestion"),
        api_path="suggestion-assignments",
        api_name="assignment",
    ),
    _of_suggestion(
        SupervisionOrder,
        OrderSerializer,
        id_arg="order_id",
        queryset=lambda: SupervisionOrder.objects.select_related("suggestion"),
        api_path="suggestion-orders",
        api_name="order",
    ),
    RecordBinding(
        model=AssignmentBatch,
        response=BatchSerializer,
        id_arg="batch_id",
        queryset=lambda: AssignmentBatch.objects.select_related("proposed_org"),
        view_action="suggestions.batch.view",
        invalid=_on_batch_page,
        api_path="suggestion-batches",
        api_name="batch",
    ),
    RecordBinding(
        model=Campaign,
        response=CampaignSerializer,
        queryset=lambda: Campaign.objects.select_related("organiser"),
        view_action="suggestions.campaign.view",
        invalid=_on_campaign_page,
        api_path="suggestion-campaigns",
        api_name="campaign",
    ),
    RecordBinding(
        model=CampaignOpinion,
        response=OpinionSerializer,
        id_arg="opinion_id",
        queryset=lambda: CampaignOpinion.objects.all(),
        view_action="suggestions.campaignopinion.view",
        url=lambda o: reverse("suggestions:campaign_detail", args=[o.campaign_id]),
        invalid=_on_campaign_page,
        api_path="campaign-opinions",
        api_name="opinion",
    ),
):
    steps.record(_record)

# The records with declared steps, for the page and API routes (urls.py, api_urls.py).
RECORDS = (Suggestion, Assignment, SupervisionOrder, AssignmentBatch, Campaign, CampaignOpinion)


# --- The suggestion -----------------------------------------------------------------------------


def _report_concentrated(actor: access.Actor, seed: str, year: int, d: dict[str, Any]) -> Any:
    """The cluster is named by its first member, the record the step is taken on."""
    return services.concentration_report(
        actor=actor,
        year=year,
        seed=seed,
        summary=d["summary"],
        implicates=d["implicates"],
        implication_note=d["implication_note"],
    )


_REPORT_ANSWER = {
    "type": "object",
    "required": ["report"],
    "properties": {"report": {"type": "integer"}},
}


def _propose(actor: access.Actor, s: Suggestion, d: dict[str, Any]) -> Any:
    item = {
        "suggestion_id": s.pk,
        "version": d["version"],
        "lead_unit_id": d["lead_unit"].pk,
        "co_unit_ids": [o.pk for o in d["co_units"]],
    }
    return services.batch_propose(actor=actor, items=[item], note=d["note"])


def _merge(actor: access.Actor, s: Suggestion, d: dict[str, Any]) -> Any:
    return merging.suggestion_merge(
        actor=actor,
        primary_id=s.pk,
        version=d["version"],
        others_ids=list(d["others"]),
        other_versions={pk: v for pk, v in d["others"].items() if v is not None},
    )


def _decide_extension(actor: access.Actor, s: Suggestion, d: dict[str, Any]) -> Any:
    """The request decided is the suggestion's pending one (the page and the API name it)."""
    pending = selectors.pending_extension(selectors.handling(actor=actor, suggestion=s))
    if pending is None or pending.pk != d["extension"]:
        raise TransitionNotAllowed(
            gettext("该延期申请已审批或不属于本建议，请刷新页面后再操作。"),
            field_errors={"extension": [gettext("不是本建议待审批的延期申请。")]},
        )
    return services.reply_extension_decide(
        actor=actor, extension_id=pending.pk, approve=d["decision"] == "approve", note=d["note"]
    )


def _supervise(actor: access.Actor, s: Suggestion, d: dict[str, Any]) -> Any:
    """In the name of the body given, else of the person's first assigning body (the page)."""
    mine = assigning_org_ids(actor)
    return services.supervision_issue(
        actor=actor,
        suggestion_id=s.pk,
        kind=d["kind"],
        requirements=d["requirements"],
        issued_by_org_id=d["issued_by_org"] or (min(mine) if mine else None),
        to_unit_id=d["to_unit"],
        due_on=d["due_on"],
    )


def _follow_up(actor: access.Actor, s: Suggestion, d: dict[str, Any]) -> Any:
    data = {k: d[k] for k in ("title", "starts_at", "place", "notes")}
    return services.follow_up_visit(
        actor=actor, suggestion_id=s.pk, data={**data, "organiser_id": d["organiser"].pk}
    )


def _publish(actor: access.Actor, s: Suggestion, d: dict[str, Any]) -> Any:
    """The texts approved are those previewed: a page's `previewed` digest (the API may send
    one too) that is not of these texts shows their preview first."""
    texts = publication_texts(d)
    if d["previewed"] and d["previewed"] != publication_digest(texts):
        raise ConcurrentEdit(gettext("文本在预览后有改动，请核对下方的预览后再批准公开。"))
    return services.suggestion_publish(
        actor=actor,
        suggestion_id=s.pk,
        version=d["version"],
        title=texts.get("title", ""),
        content=texts.get("content", ""),
        replies=publication_replies(texts),
    )


def _publication_form(actor: access.Actor, s: Suggestion) -> dict[str, Any]:
    pub = selectors.publication(suggestion=s)
    return {"texts": pub.texts, "initial": {"version": s.version, **pub.initial()}}


def _suggestion_of(result: Any) -> Suggestion | None:
    """The suggestion a step's result belongs to, as it is now (after the step)."""
    pk = result.pk if isinstance(result, Suggestion) else getattr(result, "suggestion_id", None)
    if pk is None:
        return None
    return Suggestion.objects.select_related("lead_unit", "lead_deputy").filter(pk=pk).first()


def _then(result: Any) -> str:
    """What happens next, to whom and by when, after a step on a suggestion (or on one of its
    assignments): read from the suggestion as the step left it (`progress.next_text`). A
    co-unit that received its assignment is told when its opinion is due."""
    if isinstance(result, Assignment) and result.role == AssignmentRole.CO:
        from wulian.suggestions.services.co_opinions import awaited_opinions

        s = _suggestion_of(result)
        mine = [w for w in awaited_opinions(s) if w.assignment.pk == result.pk] if s else []
        if mine and result.status == AssignmentStatus.RECEIVED:
            return gettext("请在%(when)s前向主办单位提交会办意见。") % {
                "when": when_text(mine[0].due_at)
            }
        return ""
    s = _suggestion_of(result)
    return progress.next_text(s) if s is not None else ""


suggestion = steps.on(Suggestion, then=_then)

steps.declare(
    suggestion(
        "withdraw",
        url_name="suggestion_withdraw",
        action="suggestions.suggestion.withdraw",
        form=WithdrawForm,
        service=services.suggestion_withdraw,
        done=_("建议已撤回，办理终止。"),
        summary="Withdraw in writing (ends handling)",
    ),
    suggestion(
        "accept",
        url_name="suggestion_accept",
        action="suggestions.suggestion.review",
        form=StepForm,
        service=services.suggestion_accept,
        done=_("已立案。"),
        summary="Review: accept (立案)",
    ),
    suggestion(
        "reject",
        url_name="suggestion_reject",
        action="suggestions.suggestion.review",
        form=RejectForm,
        service=services.suggestion_reject,
        done=_("已作不予立案处理，并已告知代表理由。"),
        summary="Review: not accepted (不予立案) for a standard reason",
    ),
    suggestion(
        "as_letter",
        url_name="suggestion_as_letter",
        action="suggestions.suggestion.review",
        form=AsLetterForm,
        service=services.suggestion_treat_as_letter,
        done=_("已作为代表来信处理，并已告知代表。"),
        summary="Review: not a suggestion, handled as a deputy's letter (作为代表来信处理)",
    ),
    suggestion(
        "reassign",
        url_name="suggestion_reassign",
        action="suggestions.suggestion.review",
        form=ReassignForm,
        service=services.suggestion_reassign,
        done=_("已重新交办，承办单位和代表已收到重新答复的期限。"),
        summary="After 不满意 the congress office reassigns (重新交办); the re-reply clock starts",
    ),
    suggestion(
        "report_concentrated",
        url_name="suggestion_report_concentrated",
        page_path="<int:pk>/concentrated/report/",
        action="suggestions.concentration.report",
        form=ConcentrationReportForm,
        call=lambda actor, s, d: _report_concentrated(actor, f"s{s.pk}", s.session.year, d),
        done=_("已通报市纪委，市纪委将收到通知。"),
        lands=lambda report: report.get_absolute_url(),
        summary="Report the concentrated cluster this suggestion starts to the CDI (通报市纪委); "
        "the answer is the report's id",
        api_status=201,
        answer=lambda report, actor: {"report": report.pk},
        answer_schema=_REPORT_ANSWER,
    ),
    suggestion(
        "propose",
        then=None,
        url_name="suggestion_propose",
        action="suggestions.suggestion.assign",
        form=ProposeForm,
        call=_propose,
        done=_("已拟定交办，等待另一方会签。"),
        summary="Prepare the assignment of this suggestion (拟定交办); the other side confirms",
    ),
    suggestion(
        "merge",
        then=None,
        url_name="suggestion_merge",
        action="suggestions.suggestion.merge",
        form=MergeForm,
        call=_merge,
        done=_("已并案办理：并入的建议随本建议交办，答复将分别送达各位代表。"),
        summary="Merge suggestions into this one for handling together (并案): "
        '`others` as "id:version"',
    ),
    suggestion(
        "unmerge",
        then=None,
        url_name="suggestion_unmerge",
        action="suggestions.suggestion.merge",
        form=UnmergeForm,
        form_kwargs=lambda actor, s: {"suggestion_id": s.pk},
        service=merging.suggestion_unmerge,
        done=_("已拆分并案，该建议将单独交办。"),
        summary="Take this suggestion out of its merged handling (拆分)",
    ),
    suggestion(
        "contact",
        url_name="contact_record",
        action="suggestions.suggestion.handle",
        form=ContactForm,
        service=services.contact_record,
        done=_("联系代表情况已登记。"),
        summary="The lead unit records a contact with the deputy",
    ),
    suggestion(
        "opinion",
        url_name="opinion_give",
        action="suggestions.suggestion.co_handle",
        form=OpinionForm,
        service=services.opinion_give,
        done=_("会办意见已送主办单位。"),
        summary="A co-unit sends its opinion to the lead unit",
    ),
    suggestion(
        "reply",
        url_name="reply_send",
        action="suggestions.suggestion.handle",
        form=ReplyForm,
        service=services.reply_send,
        done=_("答复已发出，领衔代表和附议代表将收到答复。"),
        summary="The lead unit replies (答复函), with attachments as multipart",
    ),
    suggestion(
        "extension",
        then=None,
        url_name="extension_request",
        action="suggestions.suggestion.handle",
        form=ExtensionForm,
        service=services.reply_extension_request,
        done=_("延期申请已提交，等待人大代表工委审批。"),
        summary="The lead unit asks for more time to reply",
    ),
    suggestion(
        "extension_decision",
        then=None,
        url_name="extension_decide",
        page_path="<int:pk>/extension/decide/",
        action="suggestions.suggestion.manage",
        form=ExtensionDecideForm,
        call=_decide_extension,
        done=_("延期申请已审批。"),
        summary="The congress office approves or refuses the pending extension (延期审批)",
    ),
    suggestion(
        "verdict",
        url_name="verdict_give",
        action="suggestions.verdict.give",
        form=VerdictForm,
        service=services.verdict_give,
        done=verdict_done,
        summary="The deputy's verdict on the reply (private)",
    ),
    suggestion(
        "supervise",
        then=None,
        url_name="supervision_issue",
        action="suggestions.suggestion.supervise",
        form=SupervisionForm,
        call=_supervise,
        done=_("督办已发出。"),
        summary="Issue a supervision order (督办); the answer is the order",
        **steps.made(OrderSerializer),
    ),
    suggestion(
        "follow_up",
        then=None,
        url_name="follow_up_visit",
        action="suggestions.suggestion.follow_up",
        form=FollowUpForm,
        form_kwargs=lambda actor, s: {"organisers": organisations(stationed_org_ids(actor))},
        call=_follow_up,
        done=_("联合回访已记录。发现的问题请在活动页提出并交付整改。"),
        lands=lambda activity: activity.get_absolute_url(),
        summary="Joint follow-up visit (联合回访) by the stationed group; the answer is the "
        "new activity's id",
        api_status=201,
        answer=lambda activity, actor: {"activity": activity.pk},
        answer_schema={
            "type": "object",
            "required": ["activity"],
            "properties": {"activity": {"type": "integer"}},
        },
    ),
    suggestion(
        "key",
        then=None,
        url_name="suggestion_mark_key",
        action="suggestions.suggestion.mark_key",
        form=KeyForm,
        call=lambda actor, s, d: services.suggestion_mark_key(
            actor=actor,
            suggestion_id=s.pk,
            version=d["version"],
            is_key=d["is_key"],
            leader_id=d["leader"].pk if d["leader"] else None,
            decided_on=d["decided_on"],
        ),
        done=_("重点督办已保存。"),
        summary="Key suggestion (重点督办) chosen by the chairpersons' council",
    ),
    suggestion(
        "publish",
        then=None,
        url_name="suggestion_publish",
        page_path="<int:pk>/publish/",
        action="suggestions.suggestion.manage",
        form=PublishForm,
        form_kwargs=_publication_form,
        call=_publish,
        page=_on_publish_page,
        button="approve",
        done=_("公开文本已审定，公开页面只显示审定的文本（个人信息仍自动隐去）。"),
        summary="Approve the texts the public page shows and publish (or update a "
        "publication): title, content, reply_<round> (`publication/` gives the proposal)",
    ),
    suggestion(
        "unpublish",
        then=None,
        url_name="suggestion_unpublish",
        action="suggestions.suggestion.manage",
        form=StepForm,
        service=services.suggestion_unpublish,
        done=_("已取消公开，公开页面不再显示该建议；再次公开需重新审定文本。"),
        summary="Take a suggestion off the public page",
    ),
)


# --- An assignment ------------------------------------------------------------------------------

assignment = steps.on(
    Assignment, url_prefix="assignment_", form_prefix=lambda a: f"a{a.pk}", then=_then
)

steps.declare(
    assignment(
        "receive",
        action="suggestions.assignment.respond",
        form=StepForm,
        service=services.assignment_receive,
        done=_("已签收。"),
        summary="The assigned unit receives (签收)",
    ),
    assignment(
        "send_back",
        action="suggestions.assignment.respond",
        form=SendBackForm,
        service=services.assignment_send_back,
        done=_("已退回，人大代表工委将重新交办。"),
        summary="The assigned unit sends it back (退回) with a reason, within the window",
    ),
    assignment(
        "replace",
        action="suggestions.assignment.replace",
        form=CoUnitReplaceForm,
        form_prefix=lambda a: f"r{a.pk}",
        call=lambda actor, a, d: services.co_unit_replace(
            actor=actor,
            suggestion_id=a.suggestion_id,
            assignment_id=a.pk,
            unit_id=d["unit"].pk if d["unit"] else None,
            version=d["version"],
        ),
        done=_("已调整会办单位，并已通知主办单位和政府督查室。"),
        summary="Congress staff replace a co-unit that sent its assignment back (`unit`), or "
        "drop it (`drop`); the lead unit keeps handling, the supervision office is told",
    ),
    assignment(
        "waive",
        action="suggestions.assignment.waive",
        form=WaiveForm,
        form_prefix=lambda a: f"w{a.pk}",
        service=services.opinion_waive,
        done=_("已免除该单位的会办意见，主办单位不再等待，答复时将注明。"),
        summary="Congress staff waive a co-unit's opinion (免除会办意见) with a reason; the lead "
        "unit no longer waits for it",
    ),
)


# --- A supervision order ------------------------------------------------------------------------

supervision_order = steps.on(
    SupervisionOrder, url_prefix="order_", form_prefix=lambda o: f"o{o.pk}"
)

steps.declare(
    supervision_order(
        "respond",
        action="suggestions.supervisionorder.respond",
        form=OrderRespondForm,
        service=services.supervision_respond,
        done=_("办理情况已报告。"),
        summary="The supervised unit reports",
    ),
    supervision_order(
        "close",
        action="suggestions.supervisionorder.close",
        form=OrderCloseForm,
        service=services.supervision_close,
        done=_("督办已结束。"),
        summary="The issuing side ends the supervision order",
    ),
    supervision_order(
        "escalate",
        action="suggestions.suggestion.escalate",
        form=EscalateForm,
        service=services.supervision_escalate,
        done=_("已通报市纪委。"),
        summary="Escalate to the CDI (通报市纪委)",
    ),
)


# --- A joint-assignment batch -------------------------------------------------------------------

assignment_batch = steps.on(
    AssignmentBatch, url_prefix="batch_", action="suggestions.batch.confirm"
)

steps.declare(
    assignment_batch(
        "confirm",
        form=StepForm,
        service=services.batch_confirm,
        done=_("已会签，建议已联合交办，承办单位将收到通知。"),
        confirm=_(
            "会签后即联合交办，不能撤回：各承办单位立即收到交办通知，办理期限开始计算；"
            "交办有误只能由承办单位申请调整。"
        ),
        summary="The other side confirms (会签): the suggestions are assigned",
    ),
    assignment_batch(
        "return",
        form=BatchReturnForm,
        service=services.batch_return,
        done=_("已退回拟办批次。"),
        summary="The other side returns the batch with a reason",
    ),
)


# --- A campaign ---------------------------------------------------------------------------------

steps.declare(
    Step(
        model=Campaign,
        name="register",
        url_name="opinion_register",
        page_path="campaigns/<int:pk>/opinions/",
        api_segment="opinions",
        action="suggestions.opinion.register",
        form=OpinionRegisterForm,
        form_kwargs=lambda actor, c: {"staff": bool(congress_org_ids(actor))},
        call=lambda actor, c, d: services.opinion_register(
            actor=actor,
            campaign_id=c.pk,
            data={
                **{k: d[k] for k in ("content", "collected_on", "place")},
                "collected_by_id": d["collected_by"].pk if d.get("collected_by") else None,
            },
        ),
        done=lambda opinion: gettext("意见已登记（第 %(n)d 号）。") % {"n": opinion.number},
        summary="Register an opinion collected in the campaign; the answer is the opinion",
        **steps.made(OpinionSerializer),
    ),
)


# --- A campaign opinion -------------------------------------------------------------------------

campaign_opinion = steps.on(
    CampaignOpinion, url_prefix="opinion_", form_prefix=lambda o: f"op{o.pk}"
)

steps.declare(
    campaign_opinion(
        "assign",
        action="suggestions.campaign.manage",
        form=OpinionAssignForm,
        service=services.opinion_assign,
        done=_("意见已交办。"),
        summary="Assign an opinion to a handling unit",
    ),
    campaign_opinion(
        "report_concentrated",
        page_path="opinions/<int:pk>/concentrated/report/",
        action="suggestions.concentration.report",
        form=ConcentrationReportForm,
        call=lambda actor, o, d: _report_concentrated(actor, f"o{o.pk}", o.campaign.year, d),
        done=_("已通报市纪委，市纪委将收到通知。"),
        lands=lambda report: report.get_absolute_url(),
        summary="Report the concentrated cluster this opinion starts to the CDI (通报市纪委); "
        "the answer is the report's id",
        api_status=201,
        answer=lambda report, actor: {"report": report.pk},
        answer_schema=_REPORT_ANSWER,
    ),
    campaign_opinion(
        "complete",
        action="suggestions.opinion.complete",
        form=OpinionCompleteForm,
        service=services.opinion_complete,
        done=_("意见已办结。"),
        summary="The unit completes the opinion with its result",
    ),
)
