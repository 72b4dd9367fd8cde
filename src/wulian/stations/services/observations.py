"""An integrity monitor's observation of an official's conduct at a station (清廉监督员):
clue-grade from the moment it is written — it goes to the CDI's clue officers and nobody else
sees it (docs/adr/0027-stations.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.choices import OrgKind, Role
from wulian.core.models import Organisation
from wulian.core.notifications import outbox
from wulian.core.selectors import users_holding
from wulian.stations.models import Event, Observation
from wulian.stations.services._common import digest, fail, get, text


def observation_report(
    *,
    actor: Actor,
    event_id: int,
    subject_name: str,
    subject_post: str,
    content: str,
    observed_on: date | None = None,
) -> Observation:
    """Send a conduct concern noticed at a station's event to the CDI's clue officers."""
    event = get(Event, event_id, _("活动不存在。"))
    actor = access.require(actor, "stations.observation.create", event)
    subject_name = text(subject_name, "subject_name", _("反映对象的姓名"), limit=60)
    subject_post = text(subject_post, "subject_post", _("职务"), required=False, limit=200)
    content = text(content, "content", _("观察到的情况"))
    observed_on = observed_on or timezone.localdate()
    if observed_on > timezone.localdate():
        raise fail(_("发现日期不能晚于今天。"), "observed_on")
    cdi = (
        Organisation.objects.filter(kind=OrgKind.CDI, is_active=True, parent=None)
        .order_by("id")
        .first()
    )
    if cdi is None:
        raise fail(_("系统中没有纪委监委，无法报送，请联系系统管理员。"))
    with transaction.atomic():
        ob = Observation.objects.create(
            station_id=event.station_id,
            event=event,
            receiving_org=cdi,
            subject_name=subject_name,
            subject_post=subject_post,
            content=content,
            observed_on=observed_on,
            recorded_by=actor.user,
        )
        outbox.announce(
            actor,
            "stations.observation.reported",
            ob,
            cdi.pk,
            after={"content_sm3": digest(content), "subject_sm3": digest(subject_name)},
            recipients=users_holding([cdi.pk], roles=(Role.CLUE_OFFICER,)),
            title=_("收到清廉监督员报送的情况，请登录查看"),
            dedupe=f"stations:observation:{ob.pk}",
        )
    return ob


def observation_intake(
    *, actor: Actor, observation_id: int, violation_type: str, evidence: str = ""
) -> Any:
    """The CDI's clue officer registers the observation as a clue of the CDI's own intake
    (`clues.services.clue_intake`): the subject, the content and the day it was seen are the
    observation's; the clue is 已签收 in the CDI's clue office with its disposition limit
    running, and no congress-side office sees it. One clue per observation."""
    from wulian.core.clues import services as clue_services

    observation = get(Observation, observation_id, _("记录不存在。"))
    actor = access.require(actor, "stations.observation.intake", observation)
    return clue_services.clue_intake(
        actor=actor,
        data={
            "subject_name": observation.subject_name,
            "subject_post": observation.subject_post,
            "violation_type": violation_type,
            "content": observation.content,
            "evidence": evidence,
            "found_on": observation.observed_on,
            "receiving_org_id": observation.receiving_org_id,
        },
        source=observation,
    )
