"""The steps of special inquiries, declared once (pages and `POST /api/v1/inquiries/…`): on an
inquiry — add a question, a research visit (调研), hold the meeting (which schedules the 回头看),
open the optional satisfaction ballot on the answers, send the 审议意见, add a 暗访, draft a
工作通报 (a bulletin), record the 回头看's findings; on a question — record the answer, add a
commitment (a rectification in the ledger)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wulian.core import steps
from wulian.core.models import Organisation
from wulian.core.steps import RecordBinding, Step
from wulian.inquiries import api, forms, selectors, services, views
from wulian.inquiries.models import Inquiry, Question
from wulian.inquiries.policies import congress_desk


def _again(request: HttpRequest, record: Model, step: Step, form: Any, **kw: Any) -> Any:
    return views._inquiry_page(request, record.pk, {step.name: form}, kw["status"])


MANAGE = "inquiries.inquiry.manage"

steps.record(
    RecordBinding(
        model=Inquiry,
        queryset=lambda: Inquiry.objects.select_related("organiser"),
        view_action="inquiries.inquiry.view",
        invalid=_again,
        api_path="inquiries",
        api_name="inquiry",
        response=api.InquirySerializer,
        rows=lambda actor: selectors.inquiry_list(actor=actor),
    )
)
inquiry = steps.on(Inquiry, url_prefix="inquiry_", action=MANAGE)


class InquiryMadeOut(serializers.Serializer):
    id = serializers.IntegerField()


def _issuers(actor: Any, record: Any) -> dict[str, Any]:
    return {"issuers": Organisation.objects.filter(pk__in=congress_desk(actor)).order_by("code")}


steps.declare(
    inquiry(
        "question_add",
        form=forms.QuestionForm,
        service=services.question_add,
        done=_("问题已加入询问问题清单。"),
        **steps.made(api.InquiryQuestionSerializer),
        summary="Add a question to the list (询问问题): asker, question, answering unit, official",
    ),
    inquiry(
        "hold",
        form=forms.HoldForm,
        service=services.inquiry_hold,
        done=_("询问会议已安排；审议意见须在10个工作日内送达，回头看已安排在6个月后。"),
        summary="Hold the inquiry meeting (an activity of kind 专题询问): the 审议意见 is due in "
        "10 working days, the report in 3 months, a 回头看 is scheduled 6 months later",
    ),
    inquiry(
        "send_opinion",
        form=forms.OpinionForm,
        service=services.inquiry_send_opinion,
        done=_("审议意见已送达应询单位。"),
        summary="Send the 审议意见 to the answering units",
    ),
    inquiry(
        "undercover",
        form=forms.UndercoverForm,
        service=services.undercover_add,
        done=_("暗访已安排（发布前仅组织单位可见）。"),
        lands=lambda a: a.get_absolute_url(),
        answer=lambda a, actor: {"id": a.pk},
        answer_schema=InquiryMadeOut,
        api_status=201,
        summary="Add a 暗访 with the CDI and the media, linked to the inquiry",
    ),
    inquiry(
        "research",
        form=forms.ResearchForm,
        service=services.research_add,
        done=_("前期调研已安排，可在调研活动页面添加参加单位和记录调研情况。"),
        lands=lambda a: a.get_absolute_url(),
        answer=lambda a, actor: {"id": a.pk},
        answer_schema=InquiryMadeOut,
        api_status=201,
        summary="Add a preliminary research visit (调研, an activity) before the meeting",
    ),
    inquiry(
        "ballot",
        form=forms.BallotForm,
        service=services.ballot_open,
        done=_("满意度测评已草拟，请在测评页面发放测评码并请见证单位开启。"),
        lands=lambda i: i.ballot.get_absolute_url(),
        summary="Open the optional secret satisfaction ballot (满意度测评) on the answers "
        "(core.polls; one item per answer)",
    ),
    inquiry(
        "bulletin",
        form=forms.InquiryBulletinForm,
        form_kwargs=_issuers,
        service=services.bulletin_draft,
        done=_("工作通报草稿已保存，请在通报页面核对后印发。"),
        lands=lambda b: b.get_absolute_url(),
        answer=lambda b, actor: {"id": b.pk},
        answer_schema=InquiryMadeOut,
        api_status=201,
        summary="Draft a 工作通报 on the inquiry's follow-up (a bulletin linked to the inquiry)",
    ),
    inquiry(
        "look_back",
        form=forms.LookBackForm,
        service=services.look_back_record,
        done=_("回头看情况已记录。"),
        summary="Record the 回头看's findings six months after the meeting",
    ),
)

steps.record(
    RecordBinding(
        model=Question,
        queryset=lambda: Question.objects.select_related("inquiry"),
        view_action="inquiries.question.view",
        api_path="inquiries/questions",
        api_name="question",
        response=api.InquiryQuestionSerializer,
    )
)
question = steps.on(Question, url_prefix="question_", action="inquiries.question.manage")

steps.declare(
    question(
        "answer",
        form=forms.AnswerForm,
        form_prefix=lambda q: f"q{q.pk}",
        service=services.question_answer,
        done=_("答复已记录。"),
        summary="Record the answer given at the meeting (答复)",
    ),
    question(
        "commit",
        form=forms.CommitmentForm,
        form_prefix=lambda q: f"c{q.pk}",
        service=services.commitment_add,
        done=_("承诺事项已列入整改台账，整改期限3个月。"),
        answer=lambda f, actor: {"id": f.pk},
        answer_schema=InquiryMadeOut,
        api_status=201,
        summary="A commitment made with the answer: a finding with the unit's rectification "
        "(in the rectification ledger, due in 3 months)",
    ),
)
