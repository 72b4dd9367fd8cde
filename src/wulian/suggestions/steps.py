"""The steps of a deputy's suggestion, declared once (wulian.core.steps, ADR 0017): the record
pages' forms and `POST /api/v1/<records>/{id}/<step>/` are made from them.

- the suggestion (`/api/v1/suggestions/{id}/<step>/`): withdraw, review (accept, reject),
  propose an assignment, unmerge, contact the deputy, a co-unit's opinion, the reply, ask for
  more time, the deputy's verdict, key suggestion, take off the public page;
- an assignment (`suggestion-assignments/{id}/`): receive, send back;
- a supervision order (`suggestion-orders/{id}/`): respond, close, escalate to the CDI;
- a joint-assignment batch (`suggestion-batches/{id}/`): confirm, return;
- a campaign opinion (`campaign-opinions/{id}/`): assign, complete.

The records are read through the app's own API (`api.py`). Still written by hand, page and API
alike, because the two differ in shape or in answer: merge (the page ticks "id:version"
choices, the API sends objects), the extension decision (the page's `decision`, the API's
`approve` and its check of the pending request), supervise and follow-up (the API answers the
new order or activity with 201), replacing a co-unit (the API's `unit: null` drops it, the page
asks for a tick), publish (a preview page) and registering a campaign opinion (201, the new
opinion)."""

from __future__ import annotations

from typing import Any

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wulian.core import access, steps
from wulian.core.steps import RecordBinding, Step
from wulian.suggestions import merging, services
from wulian.suggestions.api import (
    AssignmentOutSerializer,
    BatchSerializer,
    OpinionSerializer,
    OrderSerializer,
    SuggestionDetailSerializer,
)
from wulian.suggestions.forms import (
    BatchReturnForm,
    ContactForm,
    EscalateForm,
    ExtensionForm,
    KeyForm,
    OpinionAssignForm,
    OpinionCompleteForm,
    OpinionForm,
    OrderCloseForm,
    OrderRespondForm,
    ProposeForm,
    RejectForm,
    ReplyForm,
    SendBackForm,
    StepForm,
    UnmergeForm,
    VerdictForm,
    WithdrawForm,
)
from wulian.suggestions.models import (
    Assignment,
    AssignmentBatch,
    CampaignOpinion,
    Suggestion,
    SupervisionOrder,
)

VIEW = "suggestions.suggestion.view"


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


def _on_campaign_page(request: Any, opinion: Any, step: Step, form: Any, **kw: Any) -> Any:
    from wulian.suggestions.views import _campaign_page

    return _campaign_page(
        request, opinion.campaign_id, forms={f"{step.name}-{opinion.pk}": form}, status=kw["status"]
    )


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
        url=lambda s: s.get_absolute_url(),
        invalid=_on_suggestion_page,
        hidden=True,  # its existence is not told to who may not see it
        api_path="suggestions",
        api_name="suggestion",
        serialize=_suggestion_answer,
        response=SuggestionDetailSerializer,
    )
)
# An assignment and a supervision order are seen by whoever sees their suggestion; their
# steps are checked on them.
steps.record(
    RecordBinding(
        model=Assignment,
        queryset=lambda: Assignment.objects.select_related("unit", "suggestion"),
        view_action=VIEW,
        view_of=lambda a: a.suggestion,
        url=lambda a: a.get_absolute_url(),
        invalid=_on_suggestion_page,
        hidden=True,
        api_path="suggestion-assignments",
        api_name="assignment",
        serialize=lambda a, actor: AssignmentOutSerializer(a).data,
        response=AssignmentOutSerializer,
    )
)
steps.record(
    RecordBinding(
        model=SupervisionOrder,
        id_arg="order_id",
        queryset=lambda: SupervisionOrder.objects.select_related("suggestion"),
        view_action=VIEW,
        view_of=lambda o: o.suggestion,
        url=lambda o: o.get_absolute_url(),
        invalid=_on_suggestion_page,
        hidden=True,
        api_path="suggestion-orders",
        api_name="order",
        serialize=lambda o, actor: OrderSerializer(o).data,
        response=OrderSerializer,
    )
)
steps.record(
    RecordBinding(
        model=AssignmentBatch,
        id_arg="batch_id",
        queryset=lambda: AssignmentBatch.objects.select_related("proposed_org"),
        view_action="suggestions.batch.view",
        url=lambda b: b.get_absolute_url(),
        invalid=_on_batch_page,
        api_path="suggestion-batches",
        api_name="batch",
        serialize=lambda b, actor: BatchSerializer(b).data,
        response=BatchSerializer,
    )
)
steps.record(
    RecordBinding(
        model=CampaignOpinion,
        id_arg="opinion_id",
        queryset=lambda: CampaignOpinion.objects.all(),
        view_action="suggestions.campaignopinion.view",
        url=lambda o: reverse("suggestions:campaign_detail", args=[o.campaign_id]),
        invalid=_on_campaign_page,
        api_path="campaign-opinions",
        api_name="opinion",
        serialize=lambda o, actor: OpinionSerializer(o).data,
        response=OpinionSerializer,
    )
)


# --- The suggestion -----------------------------------------------------------------------------


def _propose(actor: access.Actor, s: Suggestion, d: dict[str, Any]) -> Any:
    item = {
        "suggestion_id": s.pk,
        "version": d["version"],
        "lead_unit_id": d["lead_unit"].pk,
        "co_unit_ids": [o.pk for o in d["co_units"]],
    }
    return services.batch_propose(actor=actor, items=[item], note=d["note"])


suggestion = steps.on(Suggestion)

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
        done=_("已立案，请安排联合交办。"),
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
        "propose",
        url_name="suggestion_propose",
        action="suggestions.suggestion.assign",
        form=ProposeForm,
        call=_propose,
        done=_("已拟定交办，等待另一方会签。"),
        summary="Prepare the assignment of this suggestion (拟定交办); the other side confirms",
    ),
    suggestion(
        "unmerge",
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
        url_name="extension_request",
        action="suggestions.suggestion.handle",
        form=ExtensionForm,
        service=services.reply_extension_request,
        done=_("延期申请已提交，等待人大代表工委审批。"),
        summary="The lead unit asks for more time to reply",
    ),
    suggestion(
        "verdict",
        url_name="verdict_give",
        action="suggestions.verdict.give",
        form=VerdictForm,
        service=services.verdict_give,
        done=_("感谢您的评价。"),
        summary="The deputy's verdict on the reply (private)",
    ),
    suggestion(
        "key",
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
        "unpublish",
        url_name="suggestion_unpublish",
        action="suggestions.suggestion.manage",
        form=StepForm,
        service=services.suggestion_unpublish,
        done=_("已取消公开，公开页面不再显示该建议；再次公开需重新审定文本。"),
        summary="Take a suggestion off the public page",
    ),
)


# --- An assignment ------------------------------------------------------------------------------

assignment = steps.on(Assignment, url_prefix="assignment_", form_prefix=lambda a: f"a{a.pk}")

steps.declare(
    assignment(
        "receive",
        action="suggestions.assignment.respond",
        form=StepForm,
        service=services.assignment_receive,
        done=_("已签收。主办单位请在规定时间内与领衔代表取得联系。"),
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

assignment_batch = steps.on(AssignmentBatch, url_prefix="batch_")

steps.declare(
    assignment_batch(
        "confirm",
        action="suggestions.batch.confirm",
        form=StepForm,
        service=services.batch_confirm,
        done=_("已会签，建议已联合交办，承办单位将收到通知。"),
        summary="The other side confirms (会签): the suggestions are assigned",
    ),
    assignment_batch(
        "return",
        action="suggestions.batch.confirm",
        form=BatchReturnForm,
        service=services.batch_return,
        done=_("已退回拟办批次。"),
        summary="The other side returns the batch with a reason",
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
        "complete",
        action="suggestions.opinion.complete",
        form=OpinionCompleteForm,
        service=services.opinion_complete,
        done=_("意见已办结。"),
        summary="The unit completes the opinion with its result",
    ),
)
