"""The steps of the livelihood link, declared once: the record pages' forms and
`POST /api/v1/livelihood/<records>/{id}/<step>/` are made from them (ADR 0017)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from wulian.core import steps
from wulian.core.steps import RecordBinding
from wulian.livelihood import forms, serializers, services
from wulian.livelihood.models import Actual, Candidate, Cycle, Indicator, Order, Project


def _page(name: str) -> Any:
    """The record page again with the refused form (views are read when a step is refused)."""

    def invalid(request: Any, record: Any, step: Any, form: Any, **kw: Any) -> Any:
        from wulian.livelihood import views

        return getattr(views, name)(request, record, step, form, **kw)

    return invalid


def _again(page: str) -> Any:
    def invalid(request: Any, record: Any, step: Any, form: Any, **kw: Any) -> Any:
        from wulian.livelihood import views

        return getattr(views, page)(
            request, record.pk, forms={step.name: form}, status=kw["status"]
        )

    return invalid


steps.record(
    RecordBinding(
        model=Cycle,
        queryset=lambda: Cycle.objects.all(),
        view_action="livelihood.cycle.view",
        invalid=_again("_cycle_page"),
        api_path="livelihood/cycles",
        api_name="livelihood-cycle",
        response=serializers.CycleOut,
    )
)
steps.record(
    RecordBinding(
        model=Candidate,
        queryset=lambda: Candidate.objects.select_related("cycle"),
        view_action="livelihood.candidate.view",
        url=lambda c: c.cycle.get_absolute_url() + f"#candidate-{c.pk}",
        invalid=_page("_candidate_invalid"),
        api_path="livelihood/candidates",
        api_name="livelihood-candidate",
        response=serializers.CandidateOut,
    )
)
steps.record(
    RecordBinding(
        model=Project,
        queryset=lambda: Project.objects.select_related("cycle"),
        view_action="livelihood.project.view",
        invalid=_again("_project_page"),
        api_path="livelihood/projects",
        api_name="livelihood-project",
        response=serializers.ProjectOut,
    )
)
steps.record(
    RecordBinding(
        model=Indicator,
        queryset=lambda: Indicator.objects.select_related("project"),
        view_action="livelihood.project.view",
        invalid=_page("_indicator_invalid"),
        api_path="livelihood/indicators",
        api_name="livelihood-indicator",
        response=serializers.IndicatorOut,
    )
)
steps.record(
    RecordBinding(
        model=Actual,
        queryset=lambda: Actual.objects.select_related("indicator__project"),
        view_action="livelihood.actual.view",
        invalid=_again("_actual_page"),
        api_path="livelihood/actuals",
        api_name="livelihood-actual",
        response=serializers.ActualOut,
    )
)

steps.record(
    RecordBinding(
        model=Order,
        queryset=lambda: Order.objects.select_related("project__cycle"),
        view_action="livelihood.project.view",
        url=lambda o: o.get_absolute_url(),
        invalid=_page("_order_invalid"),
        api_path="livelihood/orders",
        api_name="livelihood-order",
        response=serializers.OrderOut,
    )
)

cycle = steps.on(Cycle, url_prefix="cycle_", action="livelihood.cycle.manage")
steps.declare(
    cycle(
        "candidate",
        form=forms.CandidateForm,
        service=services.candidate_add,
        done=_("候选项目已登记，请交政府论证筛选。"),
        summary="Register a candidate project with its source (征集候选项目)",
        **steps.made(serializers.CandidateOut),
        anchor="#candidates",
    ),
    cycle(
        "vote_open",
        form=forms.SessionForm,
        service=services.vote_open,
        done=_("已生成代表票决，请在票决页面设置代表名单或印制选票，并请见证单位开启。"),
        summary="Send the shortlist to the deputies' secret ballot (提交代表票决, 差额)",
    ),
    cycle(
        "decide",
        form=forms.DecideForm,
        service=services.cycle_decide,
        done=_("决定已作出，当选项目已建立，请组建监督小组；责任单位按月报送进展。"),
        summary="Make the 决定: the elected candidates become the year's projects",
        confirm=_("作出决定后，当选项目和票数即确定，不能撤销。"),
    ),
    cycle(
        "satisfaction_open",
        form=forms.SessionForm,
        service=services.satisfaction_open,
        done=_("已生成满意度测评，请在测评页面印制选票，并请见证单位开启。"),
        summary="Open the satisfaction test at the next session (满意度测评)",
    ),
    cycle(
        "record_results",
        form=forms.RecordResultsForm,
        service=services.satisfaction_record,
        done=_("测评结果已登记；不满意的项目已交办整改，并建议列为专题询问题目。"),
        summary="Write the certified satisfaction results onto the projects",
        confirm=_("登记后，不满意的项目将交办整改并通知人大工作机构，不能撤销。"),
    ),
)

steps.declare(
    steps.on(Candidate, url_prefix="candidate_")(
        "screen",
        action="livelihood.candidate.screen",
        form=forms.ScreenForm,
        service=services.candidate_screen,
        form_prefix=lambda c: f"c{c.pk}",
        done=_("论证意见已保存。"),
        summary="Screen a candidate: budget, responsible department, indicators (论证筛选)",
        anchor="#candidates",
    ),
    steps.on(Project, url_prefix="project_")(
        "report",
        action="livelihood.project.report",
        form=forms.ReportForm,
        form_kwargs=lambda actor, p: {"project": p},
        service=services.actual_report,
        done=_("进展已报送，监督小组将核实。"),
        summary="The department reports an indicator's monthly actual with photos (报送进展)",
        **steps.made(serializers.ActualOut),
        anchor="#indicators",
    ),
    steps.on(Indicator, url_prefix="indicator_")(
        "change",
        action="livelihood.project.manage",
        form=forms.IndicatorChangeForm,
        service=services.indicator_change,
        form_prefix=lambda i: f"i{i.pk}",
        done=_("指标已依决定调整，调整记录保存在项目页。"),
        summary="Change an indicator after the vote, on a recorded decision (依决定调整指标)",
    ),
)


def _group_initial(actor: Any, project: Project) -> dict[str, Any]:
    from wulian.livelihood.choices import GroupRole

    by_role: dict[str, list[int]] = {}
    for m in project.group.all():
        by_role.setdefault(m.role, []).append(m.person_id)
    first = {r: ids[0] for r, ids in by_role.items()}
    return {
        "initial": {
            "head": first.get(GroupRole.HEAD),
            "deputies": by_role.get(GroupRole.DEPUTY, []),
            "monitor": first.get(GroupRole.MONITOR),
            "cdi_contact": first.get(GroupRole.CDI_CONTACT),
        }
    }


def _milestones_initial(actor: Any, project: Project) -> dict[str, Any]:
    from wulian.livelihood.services.supervision import milestones_text

    return {"initial": {"milestones": milestones_text(project)}}


project = steps.on(Project, url_prefix="project_", action="livelihood.project.manage")
steps.declare(
    project(
        "group",
        form=forms.GroupForm,
        form_kwargs=_group_initial,
        call=services.group_from_form,
        done=_("监督小组已保存，小组成员可在项目页核实进展。"),
        summary="Set the project's supervision group (组建监督小组): head, deputies, "
        "integrity monitor, CDI contact",
        anchor="#group",
    ),
    project(
        "milestones",
        form=forms.MilestonesForm,
        form_kwargs=_milestones_initial,
        service=services.milestones_set,
        done=_("节点已保存。"),
        summary="Set the project's milestones (节点), one a line",
        anchor="#group",
    ),
    project(
        "order",
        form=forms.OrderForm,
        service=services.order_issue,
        done=_("督办已发出，责任单位须在期限内书面答复。"),
        summary="Issue a supervision order (督办) on a lagging project",
        **steps.made(serializers.OrderOut),
        anchor="#orders",
    ),
)

order = steps.on(Order, url_prefix="order_", form_prefix=lambda o: f"o{o.pk}")
steps.declare(
    order(
        "answer",
        action="livelihood.project.report",
        form=forms.OrderAnswerForm,
        service=services.order_answer,
        done=_("答复已报送督办单位。"),
        summary="The responsible department answers a supervision order (答复督办)",
    ),
    order(
        "close",
        action="livelihood.project.manage",
        form=forms.OrderCloseForm,
        service=services.order_close,
        done=_("督办已办结。"),
        summary="Close an answered supervision order (办结)",
    ),
    order(
        "escalate",
        action="livelihood.project.manage",
        form=forms.OrderEscalateForm,
        service=services.order_escalate,
        done=_("督办已移交纪委监委，纪委监委和小组的纪委监委联络人已收到通知。"),
        summary="Escalate an overdue or ineffective supervision order to the CDI (移交纪委监委)",
        confirm=_("移交纪委监委后不能撤回。"),
    ),
)

actual = steps.on(Actual, url_prefix="actual_")
steps.declare(
    actual(
        "verify",
        action="livelihood.project.verify",
        form=forms.ReviewForm,
        service=services.actual_verify,
        done=_("已核实。"),
        summary="The supervision group verifies a monthly report (核实)",
    ),
    actual(
        "question",
        action="livelihood.project.verify",
        form=forms.QuestionForm,
        service=services.actual_question,
        done=_("疑问已告知责任单位，其可补充后重报本月进展。"),
        summary="The supervision group questions a monthly report (提出疑问)",
    ),
    actual(
        "publish",
        action="livelihood.project.manage",
        form=forms.PublishForm,
        form_kwargs=lambda actor, a: {"actual": a},
        service=services.photos_publish,
        done=_("所选照片将在公开进度页展示。"),
        summary="Choose the photos the public progress page shows (选择公开照片)",
    ),
)
