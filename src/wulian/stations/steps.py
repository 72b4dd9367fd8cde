"""The steps of the liaison-station link, declared once: each record page's forms and
`POST /api/v1/stations/<records>/{id}/<step>/` are made from them (wulian.core.steps, ADR 0017)
— a station's rules and schedule; an event's record, the opinions taken at it and an integrity
monitor's observation; an opinion's four ways (answer, hand to a department, raise as a
suggestion, decline) and the department's reply.

Two make a new record: taking an opinion (the page comes back to the event, ready for the
next one; the API answers the opinion, 201) and an observation (the API answers 201 with the
observation's id only: its author does not see it afterwards)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wulian.core import steps
from wulian.core.steps import RecordBinding, Step
from wulian.stations import api, forms, selectors, services, views
from wulian.stations.models import Event, Observation, Opinion, Station


def _page_again(page: str) -> Any:
    def invalid(request: HttpRequest, record: Model, step: Step, form: Any, **kw: Any) -> Any:
        return getattr(views, page)(request, record.pk, {step.name: form}, kw["status"])

    return invalid


MANAGE = "stations.station.manage"

steps.record(
    RecordBinding(
        model=Station,
        queryset=lambda: Station.objects.select_related("organisation"),
        view_action="stations.station.view",
        invalid=_page_again("_station_page"),
        api_path="stations/stations",
        api_name="station",
        response=api.StationSerializer,
        rows=lambda actor: selectors.station_list(actor=actor),
    )
)
station = steps.on(Station, url_prefix="station_", action=MANAGE)

steps.declare(
    station(
        "rule_add",
        form=forms.RuleForm,
        service=services.rule_add,
        done=_("活动规则已添加。请点击“排期”生成活动并公告。"),
        summary="Add a recurring event rule (选民接待日 a day of the month, 相约星期二 every "
        "Tuesday, 专题议事) with its holiday rule (move or skip)",
    ),
    station(
        "schedule",
        form=forms.ScheduleForm,
        service=services.events_schedule,
        done=lambda made: _g("已排期 %(n)d 次活动，已在公告页公布。") % {"n": len(made)},
        summary="Make the station's events from its rules up to a date; each is on the public "
        "notice from then on (at least 3 days before)",
    ),
)

steps.record(
    RecordBinding(
        model=Event,
        queryset=lambda: Event.objects.select_related("station__organisation"),
        view_action="stations.event.view",
        invalid=_page_again("_event_page"),
        api_path="stations/events",
        api_name="event",
        response=api.StationEventSerializer,
        rows=lambda actor: selectors.event_list(actor=actor),
    )
)
event = steps.on(Event, url_prefix="event_")


class StationObservationOut(serializers.Serializer):
    id = serializers.IntegerField()
    received = serializers.BooleanField()


steps.declare(
    event(
        "record",
        action="stations.event.record",
        form=forms.EventRecordForm,
        service=services.event_record,
        done=_("活动记录已保存。"),
        summary="Record the event afterwards: attendance and what was done (活动记录)",
    ),
    event(
        "opinion_add",
        page_path="events/<int:pk>/opinions/",
        api_segment="opinions",
        action="stations.opinion.record",
        form=forms.OpinionForm,
        service=services.opinion_record,
        done=lambda o: _g("已记录：%(t)s。可继续记录下一条。") % {"t": o.topic},
        lands=lambda o: o.event.get_absolute_url() + "#opinion",
        **steps.made(api.StationOpinionSerializer),
        summary="Take a resident's opinion at the event (群众意见): the matter, what was said, "
        "and with consent a name and phone number",
    ),
    event(
        "observe",
        action="stations.observation.create",
        form=forms.ObservationForm,
        service=services.observation_report,
        done=_("已报送纪委监委线索管理员。报送内容仅线索管理员可见。"),
        lands=lambda ob: ob.event.get_absolute_url(),
        answer=lambda ob, actor: {"id": ob.pk, "received": True},
        answer_schema=StationObservationOut,
        api_status=201,
        summary="An integrity monitor sends a conduct concern to the CDI's clue officers "
        "(清廉监督员观察; clue-grade, its author does not see it afterwards)",
    ),
)

steps.record(
    RecordBinding(
        model=Opinion,
        queryset=lambda: Opinion.objects.select_related("station__organisation"),
        view_action="stations.opinion.view",
        invalid=_page_again("_opinion_page"),
        api_path="stations/opinions",
        api_name="opinion",
        response=api.StationOpinionSerializer,
        rows=lambda actor: selectors.opinion_list(actor=actor),
    )
)
opinion = steps.on(Opinion, url_prefix="opinion_")
HANDLE = "stations.opinion.handle"

steps.declare(
    opinion(
        "answer",
        action=HANDLE,
        form=forms.AnswerForm,
        service=services.opinion_answer,
        done=_("已记录当场答复。"),
        summary="Answered on the spot (当场答复)",
    ),
    opinion(
        "hand",
        action=HANDLE,
        form=forms.HandForm,
        service=services.opinion_hand,
        done=_("已转交部门，部门须在15个工作日内答复；逾期提醒并报人大工作机构。"),
        summary="Hand to a department (转交部门): a reply within 15 working days, reminders, "
        "escalation to the congress working body",
    ),
    opinion(
        "reply",
        action="stations.opinion.reply",
        form=forms.ReplyForm,
        service=services.opinion_reply,
        done=_("答复已送达联络站，由代表告知群众。"),
        summary="The department's reply (部门答复), back to the station",
    ),
    opinion(
        "raise",
        action="stations.opinion.raise",
        form=forms.RaiseForm,
        service=services.opinion_raise,
        done=_("已形成代表建议，提交人大代表工委审查。"),
        summary="The deputy raises the matter as his own suggestion (形成代表建议, 联办 link)",
    ),
    opinion(
        "decline",
        action=HANDLE,
        form=forms.DeclineForm,
        service=services.opinion_decline,
        done=_("已记录不予受理及引导途径。"),
        summary="Not accepted (不予受理), with where the resident should go instead",
    ),
)


class ClueTakenIn(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


steps.record(
    RecordBinding(
        model=Observation,
        queryset=lambda: Observation.objects.select_related("station__organisation"),
        view_action="stations.observation.view",
        invalid=_page_again("_observation_page"),
        api_path="stations/observations",
        api_name="observation",
        response=api.StationObservationSerializer,
        rows=lambda actor: selectors.observation_list(actor=actor),
    )
)
observation = steps.on(Observation, url_prefix="observation_")

steps.declare(
    observation(
        "intake",
        action="stations.observation.intake",
        form=forms.IntakeForm,
        service=services.observation_intake,
        done=lambda c: (
            _g("已登记为问题线索 %(n)s（已签收），处置期限已开始计算。") % {"n": c.number}
        ),
        lands=lambda c: c.get_absolute_url(),
        answer=lambda c, actor: {"id": c.pk, "number": c.number},
        answer_schema=ClueTakenIn,
        api_status=201,
        summary="The CDI's clue officer registers the observation as a clue of the CDI's own "
        "intake (已签收 in its clue office; never seen by a congress-side office)",
    ),
)

PAGES = {Station: "stations", Event: "events", Opinion: "opinions", Observation: "observations"}
