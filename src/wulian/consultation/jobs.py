"""The quarterly cadence of joint meetings (联席会议 each quarter) as a reminder to the two
offices: when a quarter has begun and no joint meeting of the two sides is planned or held in
it, the offices that convene them are told once. Safe to run twice at once: each (quarter,
office) is recorded under a unique constraint before the message is queued, in one transaction,
and the outbox's dedupe key names the same occurrence."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.consultation.choices import JOINT_KINDS
from wulian.consultation.models import QuarterReminder
from wulian.core import audit, jobs
from wulian.core.activities.choices import ActivityState
from wulian.core.activities.models import Activity, MeetingConvener
from wulian.core.choices import OrgKind
from wulian.core.models import Organisation
from wulian.core.notifications import outbox
from wulian.core.selectors import users_holding

SH = ZoneInfo("Asia/Shanghai")


def quarter_of(moment: datetime) -> tuple[int, int, datetime, datetime]:
    local = timezone.localtime(moment, SH)
    quarter = (local.month - 1) // 3 + 1
    start = datetime(local.year, quarter * 3 - 2, 1, tzinfo=SH)
    end = (
        datetime(local.year + 1, 1, 1, tzinfo=SH)
        if quarter == 4
        else datetime(local.year, quarter * 3 + 1, 1, tzinfo=SH)
    )
    return local.year, quarter, start, end


def offices() -> list[int]:
    """The offices that convene the joint meetings: the conveners of the latest one; before
    any, the top congress and CDI organisations."""
    latest = (
        Activity.objects.filter(kind__in=sorted(JOINT_KINDS))
        .exclude(state=ActivityState.CANCELLED)
        .order_by("-starts_at", "-id")
        .first()
    )
    if latest is not None:
        ids = list(
            MeetingConvener.objects.filter(meeting__activity=latest)
            .order_by("position")
            .values_list("organisation_id", flat=True)
        )
        if ids:
            return ids
    return list(
        Organisation.objects.filter(
            kind__in=[OrgKind.CONGRESS, OrgKind.CDI], parent__isnull=True, is_active=True
        )
        .order_by("sort_order", "code")
        .values_list("pk", flat=True)
    )


@jobs.job("consultation.quarterly_reminder", every_seconds=6 * 3600)
def quarterly_reminder(now: datetime | None = None) -> int:
    """Remind the two offices when the current quarter has no joint meeting; the number of
    offices told this time (0 when told already or a meeting is there)."""
    year, quarter, start, end = quarter_of(now or timezone.now())
    planned = (
        Activity.objects.filter(
            kind__in=sorted(JOINT_KINDS), starts_at__gte=start, starts_at__lt=end
        )
        .exclude(state=ActivityState.CANCELLED)
        .exists()
    )
    if planned:
        return 0
    told = 0
    for org_id in offices():
        with transaction.atomic():
            try:
                with transaction.atomic():
                    QuarterReminder.objects.create(
                        year=year, quarter=quarter, organisation_id=org_id, sent_at=timezone.now()
                    )
            except IntegrityError:
                continue  # told already (or by a run at the same moment)
            audit.record(
                action="consultation.quarter.reminded",
                target=("core.organisation", str(org_id), ""),
                organisation_id=org_id,
                after={"year": year, "quarter": quarter},
            )
            outbox.enqueue(
                kind="consultation.quarter.reminded",
                recipients=users_holding([org_id], roles=("staff", "leader")),
                title=_("%(y)d年第%(q)d季度尚未安排联席会议，请与对方商定会期")
                % {"y": year, "q": quarter},
                url=reverse("consultation:meetings"),
                dedupe=f"consultation.quarter:{year}-{quarter}:{org_id}",
            )
            told += 1
    return told
