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


steps.declare(
    Step(
        model=Suggestion,
        name="withdraw",
        url_name="suggestion_withdraw",
        action="suggestions.suggestion.withdraw",
        form=WithdrawForm,
        call=lambda actor, s, d: services.suggestion_withdraw(
            actor=actor,
            suggestion_id=s.pk,
            version=d["version"],
            statement=d["statement"],
            letter_date=d["letter_date"],
        ),
        done=_("建议已撤回，办理终止。"),
        summary="Withdraw in writing (ends handling)",
    ),
    Step(
        model=Suggestion,
        name="accept",
        url_name="suggestion_accept",
        action="suggestions.suggestion.review",
        form=StepForm,
        call=lambda actor, s, d: services.suggestion_accept(
            actor=actor, suggestion_id=s.pk, version=d["version"]
        ),
        done=_("已立案，请安排联合交办。"),
        summary="Review: accept (立案)",
    ),
    Step(
        model=Suggestion,
        name="reject",
        url_name="suggestion_reject",
        action="suggestions.suggestion.review",
        form=RejectForm,
        call=lambda actor, s, d: services.suggestion_reject(
            actor=actor,
            suggestion_id=s.pk,
            version=d["version"],
            reason=d["reason"],
            note=d["note"],
        ),
        done=_("已作不予立案处理，并已告知代表理由。"),
        summary="Review: not accepted (不予立案) for a standard reason",
    ),
    Step(
        model=Suggestion,
        name="propose",
        url_name="suggestion_propose",
        action="suggestions.suggestion.assign",
        form=ProposeForm,
        call=_propose,
        done=_("已拟定交办，等待另一方会签。"),
        summary="Prepare the assignment of this suggestion (拟定交办); the other side confirms",
    ),
    Step(
        model=Suggestion,
        name="unmerge",
        url_name="suggestion_unmerge",
        action="suggestions.suggestion.merge",
        form=UnmergeForm,
        form_kwargs=lambda actor, s: {"suggestion_id": s.pk},
        call=lambda actor, s, d: merging.suggestion_unmerge(
            actor=actor, suggestion_id=s.pk, version=d["version"]
        ),
        done=_("已拆分并案，该建议将单独交办。"),
        summary="Take this suggestion out of its merged handling (拆分)",
    ),
    Step(
        model=Suggestion,
        name="contact",
        url_name="contact_record",
        action="suggestions.suggestion.handle",
        form=ContactForm,
        call=lambda actor, s, d: services.contact_record(
            actor=actor,
            suggestion_id=s.pk,
            method=d["method"],
            contacted_at=d["contacted_at"],
            agreed=d["agreed"],
            deputy_id=d["deputy"],
        ),
        done=_("联系代表情况已登记。"),
        summary="The lead unit records a contact with the deputy",
    ),
    Step(
        model=Suggestion,
        name="opinion",
        url_name="opinion_give",
        action="suggestions.suggestion.co_handle",
        form=OpinionForm,
        call=lambda actor, s, d: services.opinion_give(
            actor=actor, suggestion_id=s.pk, text=d["text"]
        ),
        done=_("会办意见已送主办单位。"),
        summary="A co-unit sends its opinion to the lead unit",
    ),
    Step(
        model=Suggestion,
        name="reply",
        url_name="reply_send",
        action="suggestions.suggestion.handle",
        form=ReplyForm,
        call=lambda actor, s, d: services.reply_send(
            actor=actor,
            suggestion_id=s.pk,
            version=d["version"],
            category=d["category"],
            signer=d["signer"],
            text=d["text"],
            public_text=d["public_text"],
            face_to_face=d["face_to_face"],
            files=d["files"],
        ),
        done=_("答复已发出，领衔代表和附议代表将收到答复。"),
        summary="The lead unit replies (答复函), with attachments as multipart",
    ),
    Step(
        model=Suggestion,
        name="extension",
        url_name="extension_request",
        action="suggestions.suggestion.handle",
        form=ExtensionForm,
        call=lambda actor, s, d: services.reply_extension_request(
            actor=actor, suggestion_id=s.pk, new_due=d["new_due"], reason=d["reason"]
        ),
        done=_("延期申请已提交，等待人大代表工委审批。"),
        summary="The lead unit asks for more time to reply",
    ),
    Step(
        model=Suggestion,
        name="verdict",
        url_name="verdict_give",
        action="suggestions.verdict.give",
        form=VerdictForm,
        call=lambda actor, s, d: services.verdict_give(
            actor=actor,
            suggestion_id=s.pk,
            version=d["version"],
            on_attitude=d["on_attitude"],
            on_result=d["on_result"],
            comment=d["comment"],
        ),
        done=_("感谢您的评价。"),
        summary="The deputy's verdict on the reply (private)",
    ),
    Step(
        model=Suggestion,
        name="key",
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
    Step(
        model=Suggestion,
        name="unpublish",
        url_name="suggestion_unpublish",
        action="suggestions.suggestion.manage",
        form=StepForm,
        call=lambda actor, s, d: services.suggestion_unpublish(
            actor=actor, suggestion_id=s.pk, version=d["version"]
        ),
        done=_("已取消公开，公开页面不再显示该建议；再次公开需重新审定文本。"),
        summary="Take a suggestion off the public page",
    ),
)


# --- An assignment ------------------------------------------------------------------------------

steps.declare(
    Step(
        model=Assignment,
        name="receive",
        url_name="assignment_receive",
        action="suggestions.assignment.respond",
        form=StepForm,
        form_prefix=lambda a: f"a{a.pk}",
        call=lambda actor, a, d: services.assignment_receive(
            actor=actor, assignment_id=a.pk, version=d["version"]
        ),
        done=_("已签收。主办单位请在规定时间内与领衔代表取得联系。"),
        summary="The assigned unit receives (签收)",
    ),
    Step(
        model=Assignment,
        name="send_back",
        url_name="assignment_send_back",
        action="suggestions.assignment.respond",
        form=SendBackForm,
        form_prefix=lambda a: f"a{a.pk}",
        call=lambda actor, a, d: services.assignment_send_back(
            actor=actor, assignment_id=a.pk, version=d["version"], reason=d["reason"]
        ),
        done=_("已退回，人大代表工委将重新交办。"),
        summary="The assigned unit sends it back (退回) with a reason, within the window",
    ),
)


# --- A supervision order ------------------------------------------------------------------------

steps.declare(
    Step(
        model=SupervisionOrder,
        name="respond",
        url_name="order_respond",
        action="suggestions.supervisionorder.respond",
        form=OrderRespondForm,
        form_prefix=lambda o: f"o{o.pk}",
        call=lambda actor, o, d: services.supervision_respond(
            actor=actor, order_id=o.pk, version=d["version"], response=d["response"]
        ),
        done=_("办理情况已报告。"),
        summary="The supervised unit reports",
    ),
    Step(
        model=SupervisionOrder,
        name="close",
        url_name="order_close",
        action="suggestions.supervisionorder.close",
        form=OrderCloseForm,
        form_prefix=lambda o: f"o{o.pk}",
        call=lambda actor, o, d: services.supervision_close(
            actor=actor, order_id=o.pk, version=d["version"], note=d["note"]
        ),
        done=_("督办已结束。"),
        summary="The issuing side ends the supervision order",
    ),
    Step(
        model=SupervisionOrder,
        name="escalate",
        url_name="order_escalate",
        action="suggestions.suggestion.escalate",
        form=EscalateForm,
        form_prefix=lambda o: f"o{o.pk}",
        call=lambda actor, o, d: services.supervision_escalate(
            actor=actor, order_id=o.pk, version=d["version"], note=d["note"]
        ),
        done=_("已通报市纪委。"),
        summary="Escalate to the CDI (通报市纪委)",
    ),
)


# --- A joint-assignment batch -------------------------------------------------------------------

steps.declare(
    Step(
        model=AssignmentBatch,
        name="confirm",
        url_name="batch_confirm",
        action="suggestions.batch.confirm",
        form=StepForm,
        call=lambda actor, b, d: services.batch_confirm(
            actor=actor, batch_id=b.pk, version=d["version"]
        ),
        done=_("已会签，建议已联合交办，承办单位将收到通知。"),
        summary="The other side confirms (会签): the suggestions are assigned",
    ),
    Step(
        model=AssignmentBatch,
        name="return",
        url_name="batch_return",
        action="suggestions.batch.confirm",
        form=BatchReturnForm,
        call=lambda actor, b, d: services.batch_return(
            actor=actor, batch_id=b.pk, version=d["version"], reason=d["reason"]
        ),
        done=_("已退回拟办批次。"),
        summary="The other side returns the batch with a reason",
    ),
)


# --- A campaign opinion -------------------------------------------------------------------------

steps.declare(
    Step(
        model=CampaignOpinion,
        name="assign",
        url_name="opinion_assign",
        action="suggestions.campaign.manage",
        form=OpinionAssignForm,
        form_prefix=lambda o: f"op{o.pk}",
        call=lambda actor, o, d: services.opinion_assign(
            actor=actor, opinion_id=o.pk, version=d["version"], unit_id=d["unit"].pk
        ),
        done=_("意见已交办。"),
        summary="Assign an opinion to a handling unit",
    ),
    Step(
        model=CampaignOpinion,
        name="complete",
        url_name="opinion_complete",
        action="suggestions.opinion.complete",
        form=OpinionCompleteForm,
        form_prefix=lambda o: f"op{o.pk}",
        call=lambda actor, o, d: services.opinion_complete(
            actor=actor, opinion_id=o.pk, version=d["version"], result=d["result"]
        ),
        done=_("意见已办结。"),
        summary="The unit completes the opinion with its result",
    ),
)
