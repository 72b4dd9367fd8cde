"""The services of the liaison-station link, by stage."""

from wulian.stations.services.events import event_record, events_schedule, rule_add
from wulian.stations.services.observations import observation_intake, observation_report
from wulian.stations.services.opinions import (
    opinion_answer,
    opinion_decline,
    opinion_hand,
    opinion_raise,
    opinion_record,
    opinion_reply,
)

__all__ = [
    "event_record",
    "events_schedule",
    "observation_intake",
    "observation_report",
    "opinion_answer",
    "opinion_decline",
    "opinion_hand",
    "opinion_raise",
    "opinion_record",
    "opinion_reply",
    "rule_add",
]
