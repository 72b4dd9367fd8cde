"""The steps of 联商, declared once (ADR 0017): the record pages' forms and
`POST /api/v1/consultation/matters/{id}/<step>/`, `…/analyses/{id}/<step>/` are made from them.

- a matter: `edit` (its own page), `link` (a meeting, bulletin, opinion round or analysis),
  `unlink` (a wrongly linked one, with the reason: confirmed first); for a 执法检查 matter
  `inspection` (its structured fields, its own page), `problem` (a finding of the
  inspection at one inspected department) and `hand_on` (a finding → rectification);
- an analysis: `analyst` (name an analyst of either side), `report` (issue the 研判报告:
  irreversible). Importing its list is the import page (`analysis_import`) and its API twin."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wulian.consultation import forms, selectors, services
from wulian.consultation.models import Analysis, Inspection, InspectionFinding, Matter
from wulian.core import access, steps
from wulian.core.models import Organisation, Person
from wulian.core.steps import RecordBinding


class InspectionFindingOut(serializers.ModelSerializer):
    class Meta:
        model = InspectionFinding
        fields = ["id", "department", "topic", "problem", "amount", "finding"]
        read_only_fields = fields


class InspectionOut(serializers.ModelSerializer):
    findings = InspectionFindingOut(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "law",
            "scope",
            "plan",
            "teams",
            "departments",
            "report",
            "opinions",
            "findings",
        ]
        read_only_fields = fields


class MatterOut(serializers.ModelSerializer):
    owner_org_name = serializers.CharField(source="owner_org.name", read_only=True)
    inspection = serializers.SerializerMethodField(
        help_text="A law-enforcement inspection's fields and findings (执法检查); null otherwise"
    )

    @extend_schema_field(InspectionOut(allow_null=True))
    def get_inspection(self, matter: Matter) -> dict[str, Any] | None:
        try:
            found = matter.inspection
        except Inspection.DoesNotExist:
            return None
        return dict(InspectionOut(found).data)

    class Meta:
        model = Matter
        fields = [
            "id",
            "owner_org",
            "owner_org_name",
            "side",
            "kind",
            "title",
            "summary",
            "year",
            "starts_on",
            "ends_on",
            "sensitivity",
            "status",
            "parent",
            "inspection",
            "version",
        ]
        read_only_fields = fields


class AnalysisOut(serializers.ModelSerializer):
    n_items = serializers.IntegerField(read_only=True)
    n_rectified = serializers.IntegerField(read_only=True)

    class Meta:
        model = Analysis
        fields = [
            "id",
            "title",
            "subject",
            "year",
            "lead_org",
            "partner_org",
            "matter",
            "state",
            "report",
            "reported_at",
            "n_items",
            "n_rectified",
            "version",
        ]
        read_only_fields = fields


def _matter_invalid(request: Any, matter: Matter, step: Any, form: Any, **kw: Any) -> Any:
    from wulian.consultation.views import matter_page

    return matter_page(request, matter.pk, forms={step.name: form}, status=kw["status"])


def _analysis_invalid(request: Any, analysis: Analysis, step: Any, form: Any, **kw: Any) -> Any:
    from wulian.consultation.views import analysis_page

    return analysis_page(request, analysis.pk, forms={step.name: form}, status=kw["status"])


steps.record(
    RecordBinding(
        model=Matter,
        queryset=lambda: Matter.objects.select_related("owner_org", "inspection"),
        view_action="consultation.matter.view",
        invalid=_matter_invalid,
        api_path="consultation/matters",
        api_name="matter",
        response=MatterOut,
    )
)
steps.record(
    RecordBinding(
        model=Analysis,
        queryset=lambda: Analysis.objects.select_related("lead_org", "partner_org"),
        view_action="consultation.analysis.view",
        invalid=_analysis_invalid,
        api_path="consultation/analyses",
        api_name="analysis",
        response=AnalysisOut,
        rows=lambda actor: selectors.analysis_list(actor=actor),
    )
)


def _edit_page(request: Any, matter: Matter, form: Any = None, status: int = 200) -> Any:
    from wulian.consultation.views import matter_edit_page

    return matter_edit_page(request, matter, form, status)


def _link(actor: access.Actor, matter: Matter, d: dict[str, Any]) -> Any:
    from django.apps import apps

    model_label = next(m for v, _label, m in forms.LINKABLE if v == d["record_type"])
    record = apps.get_model(model_label)._default_manager.filter(pk=d["record_id"]).first()
    return services.matter_link(actor=actor, matter_id=matter.pk, record=record)


def _inspection_page(request: Any, matter: Matter, form: Any = None, status: int = 200) -> Any:
    from wulian.consultation.views import inspection_edit_page

    return inspection_edit_page(request, matter, form, status)


def _unlink_choices(actor: access.Actor, matter: Matter) -> dict[str, Any]:
    return {
        "links": matter.links.order_by("id"),
        "labels": {
            link.pk: selectors.link_label(link, record)
            for link, record in selectors.linked_records(actor=actor, matter=matter)
        },
    }


def _inspection_choices(actor: access.Actor, matter: Matter) -> dict[str, Any]:
    return {"departments": selectors.inspectable()}


def _department_choices(actor: access.Actor, matter: Matter) -> dict[str, Any]:
    return {"departments": selectors.inspected_departments(matter)}


def _row_choices(actor: access.Actor, matter: Matter) -> dict[str, Any]:
    return {"rows": selectors.open_inspection_rows(matter)}


def analysts(actor: access.Actor, analysis: Analysis) -> dict[str, Any]:
    from wulian.consultation.selectors import BOTH_SIDES

    people = (
        Person.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organisation__kind__in=BOTH_SIDES,
            memberships__organisation__in=Organisation.objects.filter(
                pk__in=[analysis.lead_org_id, analysis.partner_org_id]
            )
            | Organisation.objects.filter(
                parent_id__in=[analysis.lead_org_id, analysis.partner_org_id]
            ),
        )
        .distinct()
        .order_by("name", "id")
    )
    return {"people": people}


matter = steps.on(Matter, url_prefix="matter_", action="consultation.matter.manage")
analysis = steps.on(Analysis, url_prefix="analysis_", action="consultation.analysis.manage")

steps.declare(
    matter(
        "edit",
        form=forms.MatterEditForm,
        form_kwargs=lambda actor, m: {"parents": selectors.parents(actor, m)},
        page=_edit_page,
        call=steps.with_data(services.matter_update, forms.MatterForm, versioned=True),
        done=_("事项已保存；知悉范围为双方共享的，已告知对方。"),
        summary="Change a major matter of the register (修改重大事项): period, status, 知悉范围",
    ),
    matter(
        "link",
        form=forms.LinkForm,
        call=_link,
        done=_("已关联。对方只能看到其有权查看的关联记录。"),
        summary="Link a meeting, bulletin, opinion round or analysis to a matter (关联记录)",
        anchor="#links",
    ),
    matter(
        "unlink",
        form=forms.UnlinkForm,
        form_kwargs=_unlink_choices,
        service=services.matter_unlink,
        confirm=_("取消关联后，该记录不再列在本事项下（记录本身不受影响），理由记入事项轨迹。"),
        done=_("已取消关联，理由已记入事项轨迹。"),
        summary="Take a wrongly linked record off a matter, with the reason (取消关联)",
        anchor="#links",
    ),
    matter(
        "inspection",
        form=forms.InspectionForm,
        form_kwargs=_inspection_choices,
        page=_inspection_page,
        call=steps.with_data(services.inspection_save, forms.InspectionForm, versioned=True),
        done=_("执法检查情况已保存。检查发现的问题请在本页逐条记录，再交办整改。"),
        summary="Enter a law-enforcement inspection's fields (执法检查: the law, scope, plan, "
        "teams, inspected departments, report, 审议意见)",
        anchor="#inspection",
    ),
    matter(
        "problem",
        form=forms.InspectionFindingForm,
        form_kwargs=_department_choices,
        service=services.inspection_finding_add,
        done=_("已记录检查发现的问题；交办整改后由被检查单位整改。"),
        summary="Record a problem the inspection found at an inspected department (检查发现的问题)",
        anchor="#inspection",
        api_status=201,
    ),
    matter(
        "hand_on",
        form=forms.HandOnForm,
        form_kwargs=_row_choices,
        service=services.inspection_finding_hand_on,
        done=_("已交办整改，已通知被检查单位制定整改措施。"),
        summary="Hand an inspection's problem on as a rectification (交办整改)",
        anchor="#inspection",
    ),
    analysis(
        "analyst",
        form=forms.AnalystForm,
        form_kwargs=analysts,
        call=lambda actor, a, d: services.analyst_add(
            actor=actor, analysis_id=a.pk, person_id=d["person"].pk
        ),
        done=_("已加入研判人员。"),
        summary="Name an analyst of either side (研判人员)",
        anchor="#analysts",
    ),
    analysis(
        "report",
        form=forms.ReportForm,
        service=services.analysis_report,
        confirm=_("研判报告出具后不能修改，也不能再导入数据。"),
        done=_("研判报告已出具，已通知双方负责人；可在本页下载 .docx。"),
        summary="Issue the joint analysis report (出具研判报告); irreversible",
    ),
)
