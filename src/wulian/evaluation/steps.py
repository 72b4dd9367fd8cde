"""The steps of an evaluation, declared once: the evaluation page's forms and
`POST /api/v1/evaluations/{id}/<step>/` are made from them (wulian.core.steps, ADR 0017)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wulian.core import steps
from wulian.core.steps import RecordBinding, Step
from wulian.evaluation import forms, services, views
from wulian.evaluation.models import Evaluation


class EvaluationOut(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "year",
            "title",
            "department",
            "department_name",
            "working_body",
            "stationed_group",
            "stage",
            "dimensions",
            "dimension_scores",
            "dossier_delivered_at",
            "poll",
            "grade",
            "score",
            "consequence",
            "consequence_reason",
            "talk",
            "opinion_sent_at",
            "report_heard_at",
            "bulletin",
            "conduct_grade",
            "conduct_source",
            "closed_at",
            "version",
        ]
        read_only_fields = fields


def _invalid(request: Any, e: Evaluation, step: Step, form: Any, **kw: Any) -> Any:
    """A refused step: the page its form is on again, with the errors (the dossier's steps on
    the dossier's page, the others on the evaluation's)."""
    page = views.dossier_page if step.name in views.DOSSIER_STEPS else views.evaluation_page
    return page(request, e.pk, forms={step.name: form}, status=kw["status"])


steps.record(
    RecordBinding(
        model=Evaluation,
        queryset=lambda: Evaluation.objects.select_related("department"),
        view_action="evaluation.evaluation.view",
        invalid=_invalid,
        api_path="evaluations",
        response=EvaluationOut,
    )
)

MANAGE = "evaluation.evaluation.manage"
evaluation = steps.on(Evaluation, url_prefix="step_")

steps.declare(
    evaluation(
        "dimensions",
        action=MANAGE,
        form=forms.DimensionsForm,
        service=services.dimensions_update,
        done=_("评议内容已保存。"),
        summary="Edit the dimensions evaluated (评议内容)",
    ),
    evaluation(
        "dossier_add",
        action="evaluation.dossier.add",
        form=forms.DossierAddForm,
        service=services.dossier_add,
        done=_("参考材料已保存（仅评议组和纪委监委可见）。全部录入后请点击“参考材料提交完毕”。"),
        summary="The CDI adds an item to the confidential reference dossier (巡察/日常监督)",
        anchor="#dossier",
    ),
    evaluation(
        "dossier_attach",
        action="evaluation.dossier.add",
        form=forms.DossierAttachForm,
        service=services.dossier_attach,
        done=_("文件已附到参考材料（机密：仅评议组和纪委监委可见，每次下载均记入审计日志）。"),
        summary="The CDI attaches a file to an item of the confidential dossier (multipart: "
        "`item`, `upload`, `description`)",
        lands=lambda att: att.record.get_absolute_url(),
    ),
    evaluation(
        "dossier_deliver",
        action="evaluation.dossier.add",
        form=forms.Versioned,
        service=services.dossier_deliver,
        done=_("参考材料已提交，评议组已收到通知。"),
        summary="The CDI says the dossier is complete (meets its 10-working-day deadline)",
    ),
    evaluation(
        "dossier_use",
        action=MANAGE,
        form=forms.DossierUseForm,
        service=services.dossier_use,
        done=_("已登记参考材料的使用情况。"),
        summary="The team records how a dossier item was used",
        anchor="#dossier",
    ),
    evaluation(
        "advance",
        action=MANAGE,
        form=forms.Versioned,
        service=services.evaluation_advance,
        done=_("评议已进入下一阶段。"),
        summary="Move to the next stage (立项 → 评议前 → 评议中 → 测评)",
    ),
    evaluation(
        "activity_add",
        action=MANAGE,
        form=forms.ActivityAddForm,
        service=services.activity_add,
        done=_("评议活动已安排，派驻纪检监察组和被评议部门已列入参加名单。"),
        summary="Plan a research visit, symposium, report hearing or questionnaire",
        anchor="#activities",
    ),
    evaluation(
        "activity_held",
        action=MANAGE,
        form=forms.ActivityHeldForm,
        service=services.activity_held,
        done=_("评议活动已登记为已举行。"),
        summary="Mark a linked activity held, with the stationed group's attendance",
        anchor="#activities",
    ),
    evaluation(
        "self_report",
        action="evaluation.evaluation.attach",
        form=forms.SelfReportForm,
        service=services.self_report_upload,
        done=_("报告已上传，评议组可以查阅。"),
        summary="The department (or the team, from paper) uploads its self-report or 整改报告",
    ),
    evaluation(
        "finding",
        action=MANAGE,
        form=forms.FindingForm,
        service=services.finding_add,
        done=_("问题已交被评议部门整改。"),
        summary="Raise a problem found for the department to rectify",
        anchor="#rectification",
    ),
    evaluation(
        "vote",
        action=MANAGE,
        form=forms.VoteForm,
        service=services.vote_record,
        done=_("测评结果已登记。请在10个工作日内送达评议意见书。"),
        summary="Take the department's result from a certified satisfaction poll",
    ),
    evaluation(
        "opinion",
        action=MANAGE,
        form=forms.OpinionForm,
        service=services.opinion_send,
        done=_("评议意见书已送达，被评议部门须在3个月内报送整改报告。"),
        summary="Send the evaluation opinion (评议意见书)",
    ),
    evaluation(
        "share",
        action=MANAGE,
        form=forms.Versioned,
        service=services.results_share,
        done=_("评议结果已通报纪委监委（待签收），进入整改阶段。"),
        summary="Share the results with the CDI as a bulletin; rectification begins",
    ),
    evaluation(
        "report_heard",
        action=MANAGE,
        form=forms.NoteForm,
        service=services.report_hear,
        done=_("已登记常委会审议整改报告的情况。"),
        summary="The standing committee heard the 整改报告",
    ),
    evaluation(
        "close",
        action=MANAGE,
        form=forms.Versioned,
        service=services.evaluation_close,
        done=_("评议已办结。"),
        summary="Close the evaluation (refused while rectification is open)",
    ),
    evaluation(
        "conduct",
        action="evaluation.evaluation.conduct",
        form=forms.ConductForm,
        service=services.conduct_record,
        done=_("行风政风评议等次已登记。"),
        summary="Record the 行风政风评议 grade for the department and year",
    ),
    evaluation(
        "scores",
        action=MANAGE,
        form=forms.ScoresForm,
        form_kwargs=lambda actor, e: {"dimensions": e.dimensions},
        page=views.scores_page,
        call=lambda actor, e, d: services.scores_record(
            actor=actor,
            evaluation_id=e.pk,
            version=d["version"],
            scores=forms.ScoresForm.values_of(d, e.dimensions),
        ),
        done=_("各项评议得分已登记。"),
        summary="The team's score sheet: `version` and one whole number 0–100 per evaluated "
        "dimension, fields d1, d2 … in the order of the evaluation's `dimensions`",
        anchor="#scores",
    ),
    evaluation(
        "clue",
        action=MANAGE,
        form=forms.ClueForm,
        service=services.clue_refer,
        done=_("问题线索已起草（机密），请在问题线索中核对后移送纪委监委。"),
        summary="Draft a confidential clue from the evaluation, tagged with its CDI campaign",
    ),
)
