"""The steps of a bulletin (通报), declared once: the bulletin page's forms and
`POST /api/v1/bulletins/{id}/<step>/` are made from them (wulian.core.steps, ADR 0017): the
issuer issues the draft (印发); a recipient signs for it (签收) and gives feedback (反馈)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wulian.api.readonly import name_of, read_only
from wulian.core import access, steps
from wulian.core.bulletins import selectors, services
from wulian.core.bulletins.forms import FeedbackForm, IssueForm, SignForm
from wulian.core.bulletins.models import Bulletin, BulletinRecipient
from wulian.core.bulletins.policies import own_rows
from wulian.core.steps import RecordBinding, Step

RecipientOut = read_only(
    "RecipientOut",
    BulletinRecipient,
    [
        "organisation",
        "organisation_name",
        "receipt_due_at",
        "signed_at",
        "signed_late",
        "feedback_due_at",
        "feedback",
        "feedback_at",
        "feedback_late",
    ],
    organisation_name=name_of("organisation"),
)


BulletinOut = read_only(
    "BulletinOut",
    Bulletin,
    [
        "id",
        "issuer",
        "series",
        "year",
        "number",
        "number_label",
        "title",
        "body",
        "sensitivity",
        "state",
        "receipt_working_days",
        "feedback_working_days",
        "issued_at",
        "version",
        "recipients",
    ],
    number_label=serializers.CharField(read_only=True),
    recipients=RecipientOut(many=True, read_only=True),
)


def serialize(bulletin: Bulletin, actor: access.Actor) -> dict[str, Any]:
    """The bulletin as the API answers it — a reading, audited for a sensitive one."""
    fresh = Bulletin.objects.prefetch_related("recipients__organisation").get(pk=bulletin.pk)
    services.bulletin_read(actor=actor, bulletin=fresh, via="api")
    data = BulletinOut(fresh).data
    shown = {r.organisation_id for r in own_rows(actor, fresh, fresh.recipients.all())}
    data["recipients"] = [r for r in data["recipients"] if r["organisation"] in shown]
    return data


def _invalid(request: Any, bulletin: Bulletin, step: Step, form: Any, **kw: Any) -> Any:
    from wulian.core.bulletins.views import _detail_page

    return _detail_page(request, bulletin.pk, forms={step.name: form}, status=kw["status"])


steps.record(
    RecordBinding(
        model=Bulletin,
        queryset=lambda: Bulletin.objects.prefetch_related("recipients__organisation"),
        view_action="bulletins.bulletin.view",
        url=lambda b: b.get_absolute_url(),
        invalid=_invalid,
        api_path="bulletins",
        serialize=serialize,
        response=BulletinOut,
    )
)

bulletin = steps.on(Bulletin, url_prefix="bulletin_")

steps.declare(
    bulletin(
        "issue",
        action="bulletins.bulletin.issue",
        form=IssueForm,
        service=services.bulletin_issue,
        done=_("通报已印发，已通知接收单位签收；逾期未签收的将提醒并告知印发单位。"),
        summary="The issuer issues the draft bulletin to its distribution list (印发)",
    ),
    bulletin(
        "sign",
        action="bulletins.bulletin.sign",
        form=SignForm,
        form_kwargs=lambda actor, b: {"mine": selectors.mine(actor, b, signed=False)},
        service=services.bulletin_sign,
        done=_("已签收，印发单位可在本页看到。如有意见，可在反馈期限内提交反馈意见。"),
        summary="A recipient organisation signs for the bulletin (签收)",
        anchor="#recipients",
    ),
    bulletin(
        "feedback",
        action="bulletins.bulletin.feedback",
        form=FeedbackForm,
        form_kwargs=lambda actor, b: {"mine": selectors.mine(actor, b, signed=True)},
        service=services.bulletin_feedback,
        done=_("反馈意见已提交，印发单位将收到通知。"),
        summary="A recipient organisation gives its feedback on the bulletin (反馈意见)",
        anchor="#recipients",
    ),
)
