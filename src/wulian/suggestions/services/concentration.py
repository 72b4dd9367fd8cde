"""The one-click 通报 to the CDI of concentrated opinions (集中反映通报).

Source: the Huangshi article [CN1]: "对于…人大代表反映比较集中的建议、批评和意见，市人大常委会将
及时向市纪委通报，并将其中可能存在的违纪违法问题转交市纪委研究处理". The report is a record
(`ConcentrationReport`: the cluster as it stood) and is issued to the CDI as a bulletin
(`wulian.core.bulletins.issue_bulletin`, linked to the report; `bulletin_ref` holds its id), so
the CDI signs for it and may answer, and the issuer sees both. A possible 违纪违法 by persons is
clue-grade (ADR 0007): the report and its bulletin (涉及问题线索) are then seen only by the
sending office and the CDI's clue officers, the report's note is encrypted and is in neither the
bulletin, the audit event nor a notification; the clue itself, naming a person, is drafted in
the clues app (`clues.clue.create`)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit
from wulian.core.access import Actor
from wulian.core.choices import OrgKind
from wulian.core.errors import RuleViolation, TransitionNotAllowed, ValidationFailed
from wulian.core.models import Organisation
from wulian.suggestions import concentration
from wulian.suggestions.models import ConcentrationReport, Suggestion
from wulian.suggestions.policies import congress_org_ids
from wulian.suggestions.services._common import MAX_NOTE, _digest, _fail, _text


def _cdi() -> Organisation:
    cdi = Organisation.objects.filter(kind=OrgKind.CDI, is_active=True).order_by("id").first()
    if cdi is None:
        raise RuleViolation(_("平台上没有市纪委监委机构，无法通报。请联系系统管理员。"))
    return cdi


def _issue_bulletin(actor: Actor, report: ConcentrationReport) -> Any:
    """The 通报 itself, through the bulletin primitive (wulian.core.bulletins, ADR 0021): to the
    CDI, linked to the report, so that the CDI signs for it (签收) and may answer (反馈). A report
    that may implicate persons is clue-grade (涉及问题线索): only the CDI's clue officers see,
    sign and are told; its note stays on the report (encrypted), never in the bulletin's body."""
    from wulian.core.bulletins.models import BulletinSensitivity
    from wulian.core.bulletins.services import issue_bulletin

    lines = [report.summary, ""]
    lines.append(
        _("涉及代表建议 %(s)d 件、代表意见 %(o)d 条，共 %(n)d 名代表反映。")
        % {
            "s": len(report.suggestion_ids),
            "o": len(report.opinion_ids),
            "n": report.deputy_count,
        }
    )
    if report.implicates:
        title = _("关于代表集中反映问题的通报（可能存在违纪违法问题）")
        lines.append(
            _(
                "其中可能存在违纪违法问题，请研究处理；具体情况见所附集中反映通报（仅线索处置人员可见）。"
            )
        )
        sensitivity = BulletinSensitivity.CLUE
    else:
        title = _("关于代表集中反映问题的通报：%(s)s") % {"s": report.subject}
        sensitivity = BulletinSensitivity.ORDINARY
    return issue_bulletin(
        actor,
        issuer_id=report.sending_org_id,
        title=title[:200],
        body="\n".join(lines),
        recipient_ids=[report.receiving_org_id],
        sensitivity=sensitivity,
        linked_record=report,
    )


def concentration_report(
    *,
    actor: Actor,
    year: int,
    seed: str,
    summary: str,
    implicates: bool = False,
    implication_note: str = "",
) -> ConcentrationReport:
    """Congress staff report a concentrated cluster to the CDI (通报市纪委), in one click from the
    list: the cluster is found again now (its members as they stand), the record is made, the
    suggestions in it become visible to the CDI's staff (as an escalated suggestion is), and
    the CDI is told — its desk staff, or only its clue officers when the report `implicates`
    persons (可能存在违纪违法问题: clue-grade, with a required note).

    Refusals: AccessDenied (not congress staff), TransitionNotAllowed (no such cluster now),
    RuleViolation (already reported; no CDI on the platform), ValidationFailed (no summary;
    a note without `implicates`; `implicates` without a note)."""
    actor = access.require(actor, "suggestions.concentration.report")
    summary = _text(summary, "summary", _("通报说明"), limit=MAX_NOTE)
    note = _text(
        implication_note,
        "implication_note",
        _("可能存在的违纪违法问题"),
        required=False,
        limit=MAX_NOTE,
    )
    if implicates and not note:
        raise _fail(
            _("请简述可能存在的违纪违法问题（仅市纪委线索处置人员可见）。"), "implication_note"
        )
    if note and not implicates:
        raise _fail(_("只有勾选“可能存在违纪违法问题”时才填写此项。"), "implication_note")
    found = concentration.cluster(int(year), seed)
    if found is None:
        raise TransitionNotAllowed(
            _("该集中反映已不成立（建议或意见已变化），请刷新列表后再通报。")
        )
    if found.report is not None:
        raise RuleViolation(
            _("该集中反映已于 %(d)s 通报市纪委。")
            % {"d": f"{timezone.localtime(found.report.sent_at):%Y-%m-%d}"}
        )
    from wulian.core.bulletins.policies import issuer_org_ids

    mine = congress_org_ids(actor) & issuer_org_ids(actor)
    if not mine:
        raise ValidationFailed(_("您没有可以通报的人大机构。"))
    sending = min(mine)
    cdi = _cdi()
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                report = ConcentrationReport.objects.create(
                    seed=found.seed,
                    year=int(year),
                    subject=found.subject,
                    summary=summary,
                    implicates=bool(implicates),
                    implication_note=note,
                    suggestion_ids=found.suggestion_ids,
                    opinion_ids=found.opinion_ids,
                    deputy_count=found.deputy_count,
                    sending_org_id=sending,
                    receiving_org=cdi,
                    sent_by=actor.user,
                    sent_at=now,
                )
        except IntegrityError:
            raise RuleViolation(_("该集中反映已通报市纪委。")) from None
        # The CDI sees the suggestions reported to it (policies: escalated_to_cdi_at).
        Suggestion.objects.filter(
            pk__in=found.suggestion_ids, escalated_to_cdi_at__isnull=True
        ).update(escalated_to_cdi_at=now)
        audit.event(
            actor,
            "suggestions.concentration.reported",
            report,
            sending,
            after={
                "report": report.pk,
                "year": report.year,
                "seed": report.seed,
                "suggestions": report.suggestion_ids,
                "opinions": report.opinion_ids,
                "deputies": report.deputy_count,
                "implicates": report.implicates,
                "summary_sm3": _digest(summary),
                "note_sm3": _digest(note),
                "to": cdi.pk,
            },
        )
        bulletin = _issue_bulletin(actor, report)
        report.bulletin_ref = str(bulletin.pk)
        report.save(update_fields=["bulletin_ref"])
    return report
