"""The steps of a rectification (整改), declared once: the rectification page's forms and
`POST /api/v1/rectifications/{id}/<step>/` are made from them (wulian.core.steps, ADR 0017).
The handling unit commits to measures, reports progress and submits for verification (with
evidence files: multipart through the API); the raising side closes (销号) or reopens."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wulian.core import steps
from wulian.core.rectification import services
from wulian.core.rectification.forms import (
    CloseForm,
    CommitForm,
    ReopenForm,
    ReportForm,
    SubmitForm,
)
from wulian.core.rectification.models import Rectification
from wulian.core.steps import RecordBinding, Step


class RectificationOut(serializers.ModelSerializer):
    finding_title = serializers.CharField(source="finding.title", read_only=True)

    class Meta:
        model = Rectification
        fields = [
            "id",
            "finding",
            "finding_title",
            "responsible_org",
            "raising_org",
            "year",
            "state",
            "commitment",
            "planned_completion",
            "committed_at",
            "last_report_at",
            "submitted_at",
            "closed_at",
            "verification_note",
            "reopen_count",
            "version",
        ]
        read_only_fields = fields


def _invalid(request: Any, rect: Rectification, step: Step, form: Any, **kw: Any) -> Any:
    from wulian.core.rectification.views import _detail_page

    return _detail_page(request, rect.pk, forms={step.name: form}, status=kw["status"])


steps.record(
    RecordBinding(
        model=Rectification,
        queryset=lambda: Rectification.objects.select_related("finding"),
        view_action="rectification.rectification.view",
        url=lambda r: r.get_absolute_url(),
        invalid=_invalid,
        api_path="rectifications",
        serialize=lambda r, actor: RectificationOut(r).data,
        response=RectificationOut,
    )
)

RESPOND = "rectification.rectification.respond"
VERIFY = "rectification.rectification.verify"

steps.declare(
    Step(
        model=Rectification,
        name="commit",
        url_name="rectification_commit",
        action=RESPOND,
        form=CommitForm,
        call=lambda actor, r, d: services.rectification_commit(
            actor=actor,
            rectification_id=r.pk,
            version=d["version"],
            commitment=d["commitment"],
            planned_completion=d["planned_completion"],
        ),
        done=_("整改措施已保存。请按计划推进，并按期报送整改进展。"),
        summary="The handling unit commits to measures and a completion date (制定整改措施)",
    ),
    Step(
        model=Rectification,
        name="report",
        url_name="rectification_report",
        action=RESPOND,
        form=ReportForm,
        call=lambda actor, r, d: services.rectification_report_progress(
            actor=actor,
            rectification_id=r.pk,
            version=d["version"],
            text=d["text"],
            files=d["files"],
        ),
        done=_("整改进展已报送，提出问题的单位可在本页查看。"),
        summary="The handling unit reports progress with evidence files (报送整改进展)",
    ),
    Step(
        model=Rectification,
        name="submit",
        url_name="rectification_submit",
        action=RESPOND,
        form=SubmitForm,
        call=lambda actor, r, d: services.rectification_submit(
            actor=actor,
            rectification_id=r.pk,
            version=d["version"],
            summary=d["summary"],
            files=d["files"],
        ),
        done=_("已提交核验，等待提出问题的单位核验销号。"),
        summary="The handling unit submits the finished rectification for verification (提交核验)",
    ),
    Step(
        model=Rectification,
        name="close",
        url_name="rectification_close",
        action=VERIFY,
        form=CloseForm,
        call=lambda actor, r, d: services.rectification_close(
            actor=actor, rectification_id=r.pk, version=d["version"], note=d["note"]
        ),
        done=_("已核验销号，已通知整改单位。"),
        summary="The raising side verifies and closes the rectification (核验销号)",
    ),
    Step(
        model=Rectification,
        name="reopen",
        url_name="rectification_reopen",
        action=VERIFY,
        form=ReopenForm,
        call=lambda actor, r, d: services.rectification_reopen(
            actor=actor,
            rectification_id=r.pk,
            version=d["version"],
            reason=d["reason"],
            months=d["months"],
        ),
        done=_("已退回重新整改，整改单位将收到通知和新的期限。"),
        summary="The raising side sends it back for further rectification (退回重新整改)",
    ),
)
