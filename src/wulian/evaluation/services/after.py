"""After: the 评议意见书, the results to the CDI, the 整改报告 heard, closing."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import records, versioned
from wulian.core.access import Actor
from wulian.core.bulletins import services as bulletin_services
from wulian.core.deadlines.rules import Rule
from wulian.core.errors import RuleViolation
from wulian.core.rectification.choices import RectificationState
from wulian.core.rectification.models import Rectification
from wulian.evaluation.choices import (
    DEADLINE_OPINION,
    DEADLINE_REPORT,
    Stage,
)
from wulian.evaluation.models import Evaluation
from wulian.evaluation.services.alongside import grade_label
from wulian.evaluation.services.common import (
    REPORT_MONTHS,
    _fail,
    _in_stage,
    _load,
    _locked,
    _meet,
    _notify,
    _open,
    _record,
)

# --- After: the opinion, the results to the CDI, the 整改报告, closing ---------------------


def opinion_send(*, actor: Actor, evaluation_id: int, version: int, opinion: str) -> Evaluation:
    """送达评议意见书 (the .docx on the evaluation's page): the 整改报告 is due in 3 months."""
    actor, _e = _load(actor, evaluation_id)
    opinion = (opinion or "").strip()
    if len(opinion) < 10 or len(opinion) > 20000:
        raise _fail(_("请填写评议意见（10 至 20000 个字）。"), "opinion")
    with transaction.atomic():
        evaluation = _locked(evaluation_id, version)
        _in_stage(evaluation, Stage.VOTING, doing=_("送达评议意见书"))
        if evaluation.poll_id is None:
            raise RuleViolation(_("请先登记满意度测评结果，再送达评议意见书。"))
        versioned.save(
            evaluation, opinion=opinion, opinion_sent_at=timezone.now(), stage=Stage.OPINION_SENT
        )
        _meet(actor, evaluation, DEADLINE_OPINION)
        _open(
            actor,
            evaluation,
            DEADLINE_REPORT,
            _("报送整改报告：%(t)s"),
            Rule.months(REPORT_MONTHS),
            evaluation.department,
        )
        _record(
            actor,
            evaluation,
            "evaluation.opinion.sent",
            before={"stage": Stage.VOTING},
            after={"stage": evaluation.stage, "chars": len(opinion)},
        )
        _notify(
            evaluation,
            "evaluation.opinion.sent",
            _("评议意见书已送达，请在3个月内报送整改报告：%(t)s") % {"t": evaluation.title},
            [evaluation.department_id],
        )
    return evaluation


def results_share(*, actor: Actor, evaluation_id: int, version: int) -> Evaluation:
    """The results to the CDI as a bulletin it signs for; the department rectifies."""
    actor, evaluation = _load(actor, evaluation_id)
    _in_stage(evaluation, Stage.OPINION_SENT, doing=_("通报评议结果"))
    body = _(
        "%(t)s：满意度测评结果%(g)s，加权得分%(s)s。%(c)s评议意见已于%(d)s送达，整改报告3个月内报送。"
    ) % {
        "t": evaluation.title,
        "g": grade_label(evaluation.grade),
        "s": evaluation.score or "—",
        "c": (_("触发强制整改：%(r)s。") % {"r": evaluation.consequence_reason})
        if evaluation.consequence
        else "",
        "d": timezone.localtime(evaluation.opinion_sent_at).strftime("%Y-%m-%d")
        if evaluation.opinion_sent_at
        else "—",
    }
    with transaction.atomic():
        evaluation = _locked(evaluation_id, version)
        bulletin = bulletin_services.issue_bulletin(
            actor,
            issuer_id=evaluation.working_body_id,
            title=(_("工作评议结果通报：%(t)s") % {"t": evaluation.title})[:200],
            body=body,
            recipient_ids=[evaluation.cdi_id],
            linked_record=evaluation,
        )
        versioned.save(evaluation, bulletin=bulletin, stage=Stage.RECTIFYING)
        _record(
            actor,
            evaluation,
            "evaluation.results.shared",
            before={"stage": Stage.OPINION_SENT},
            after={"stage": evaluation.stage, "bulletin": bulletin.pk},
        )
    return evaluation


def report_hear(*, actor: Actor, evaluation_id: int, version: int, note: str) -> Evaluation:
    """The standing committee heard the department's 整改报告."""
    actor, _e = _load(actor, evaluation_id)
    note = (note or "").strip()
    if not note or len(note) > 5000:
        raise _fail(_("请填写常委会审议整改报告的情况（不超过 5000 个字）。"), "note")
    with transaction.atomic():
        evaluation = _locked(evaluation_id, version)
        _in_stage(evaluation, Stage.RECTIFYING, doing=_("登记整改报告审议"))
        versioned.save(
            evaluation, report_note=note, report_heard_at=timezone.now(), stage=Stage.REPORT_HEARD
        )
        _meet(actor, evaluation, DEADLINE_REPORT)
        _record(
            actor,
            evaluation,
            "evaluation.report.heard",
            before={"stage": Stage.RECTIFYING},
            after={"stage": evaluation.stage},
        )
    return evaluation


def open_rectifications(evaluation: Evaluation) -> int:
    from wulian.core.rectification.models import Finding

    findings = Finding.objects.filter(**records.reference(evaluation))
    return (
        Rectification.objects.filter(finding__in=findings)
        .exclude(state=RectificationState.CLOSED)
        .count()
    )


def evaluation_close(*, actor: Actor, evaluation_id: int, version: int) -> Evaluation:
    """办结: refused while any rectification item of the evaluation is open."""
    actor, _e = _load(actor, evaluation_id)
    with transaction.atomic():
        evaluation = _locked(evaluation_id, version)
        _in_stage(evaluation, Stage.REPORT_HEARD, doing=_("办结"))
        still = open_rectifications(evaluation)
        if still:
            raise RuleViolation(
                _("尚有 %(n)d 项整改未销号，评议不能办结。请先核验销号。") % {"n": still}
            )
        versioned.save(evaluation, stage=Stage.CLOSED, closed_at=timezone.now())
        _record(
            actor,
            evaluation,
            "evaluation.evaluation.closed",
            before={"stage": Stage.REPORT_HEARD},
            after={"stage": Stage.CLOSED},
        )
    return evaluation
