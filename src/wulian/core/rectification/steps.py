"""The steps of a rectification (整改), declared once: the rectification page's forms and
`POST /api/v1/rectifications/{id}/<step>/` are made from them (wulian.core.steps, ADR 0017).
The handling unit commits to measures, reports progress and submits for verification (with
evidence files: multipart through the API); the raising side closes (销号) or reopens."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wulian.api.readonly import read_only
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

RectificationOut = read_only(
    "RectificationOut",
    Rectification,
    [
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
    ],
    finding_title=serializers.CharField(source="finding.title", read_only=True),
)


def _invalid(request: Any, rect: Rectification, step: Step, form: Any, **kw: Any) -> Any:
    from wulian.core.rectification.views import _detail_page

    return _detail_page(request, rect.pk, forms={step.name: form}, status=kw["status"])


steps.record(
    RecordBinding(
        model=Rectification,
        queryset=lambda: Rectification.objects.select_related("finding"),
        view_action="rectification.rectification.view",
        invalid=_invalid,
        api_path="rectifications",
        response=RectificationOut,
    )
)

RESPOND = "rectification.rectification.respond"
VERIFY = "rectification.rectification.verify"

rectification = steps.on(Rectification, url_prefix="rectification_")

steps.declare(
    rectification(
        "commit",
        action=RESPOND,
        form=CommitForm,
        service=services.rectification_commit,
        done=_("整改措施已保存。请按计划推进，并按期报送整改进展。"),
        summary="The handling unit commits to measures and a completion date (制定整改措施)",
    ),
    rectification(
        "report",
        action=RESPOND,
        form=ReportForm,
        service=services.rectification_report_progress,
        done=_("整改进展已报送，提出问题的单位可在本页查看。"),
        summary="The handling unit reports progress with evidence files (报送整改进展)",
    ),
    rectification(
        "submit",
        action=RESPOND,
        form=SubmitForm,
        service=services.rectification_submit,
        done=_("已提交核验，等待提出问题的单位核验销号。"),
        summary="The handling unit submits the finished rectification for verification (提交核验)",
    ),
    rectification(
        "close",
        action=VERIFY,
        form=CloseForm,
        service=services.rectification_close,
        done=_("已核验销号，已通知整改单位。"),
        summary="The raising side verifies and closes the rectification (核验销号)",
    ),
    rectification(
        "reopen",
        action=VERIFY,
        form=ReopenForm,
        service=services.rectification_reopen,
        done=_("已退回重新整改，整改单位将收到通知和新的期限。"),
        summary="The raising side sends it back for further rectification (退回重新整改)",
    ),
)
