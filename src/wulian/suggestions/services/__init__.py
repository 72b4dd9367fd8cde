"""Writes of deputies' suggestions (联办): one service per step, one module per stage of a
suggestion's life; all re-exported here (`services.reply_send(...)`).

- `submission`: sessions; submission, withdrawal, acceptance or rejection
- `assignment`: the joint assignment (联交) in batches
- `receipt`: receipt or send-back (签收 / 退回); replacing a co-unit
- `handling`: contact with the deputy, co-units' opinions, the reply, extensions
- `co_opinions`: the co-units' time limit for their opinions; the office's waiver
- `verdict`: the deputy's verdict; follow-up visits and consultations
- `supervision`: joint supervision orders (联督); overdue escalation
- `key`: key suggestions (重点督办)
- `publication`: publication (公开) and its withdrawal
- `campaigns`: campaign opinions (三进三促)
- `_common`: what the stages share

Each service: check access → transaction → lock the suggestion (`select_for_update`) → refuse a
stale `version` (ConcurrentEdit) → look the step up in the transition table
(TransitionNotAllowed) → validate → save only what changed → one audit event with this app's
code → notifications in the same transaction. Deadlines are opened, met and cancelled through
the deadlines app (its own audit events, on the same record).

The time limits are the local rules' numbers in settings (`SUGGESTION_*`): assignment of a
suggestion raised between sessions (working days after acceptance), receipt or send-back
(working days after assignment), contact with the deputy (hours after the delivery of the
assignment, not after receipt), the reply (months after assignment, at most
`SUGGESTION_REPLY_MAX_MONTHS` with an approved extension),
the re-reply after 不满意 (months, at most `SUGGESTION_REREPLY_MAX_MONTHS` after the reopening
with an approved extension), the deputy's verdict (working days after each reply; a miss tells
the congress office to follow up), a supervision order's report (working days).

Verdicts are private: notifications about them never say what was rated.
"""

from wulian.suggestions.services.assignment import (
    batch_confirm,
    batch_propose,
    batch_return,
)
from wulian.suggestions.services.campaigns import (
    campaign_create,
    opinion_assign,
    opinion_complete,
    opinion_register,
)
from wulian.suggestions.services.co_opinions import (
    awaited_opinions,
    opinion_messages,
    opinion_waive,
)
from wulian.suggestions.services.concentration import concentration_report
from wulian.suggestions.services.handling import (
    contact_record,
    missing_opinions,
    opinion_give,
    reply_extension_decide,
    reply_extension_request,
    reply_send,
)
from wulian.suggestions.services.key import (
    suggestion_mark_key,
)
from wulian.suggestions.services.letter import suggestion_treat_as_letter
from wulian.suggestions.services.publication import (
    suggestion_publish,
    suggestion_unpublish,
)
from wulian.suggestions.services.receipt import (
    assignment_receive,
    assignment_send_back,
    co_unit_replace,
    receipt_moved,
)
from wulian.suggestions.services.reopening import suggestion_reassign
from wulian.suggestions.services.submission import (
    session_create,
    suggestion_accept,
    suggestion_reject,
    suggestion_submit,
    suggestion_withdraw,
)
from wulian.suggestions.services.supervision import (
    orders_recompute,
    overdue_escalate,
    supervision_close,
    supervision_escalate,
    supervision_issue,
    supervision_respond,
)
from wulian.suggestions.services.verdict import (
    consultation_record,
    follow_up_visit,
    overall_of,
    verdict_give,
    verdict_messages,
)

__all__ = [
    "assignment_receive",
    "assignment_send_back",
    "awaited_opinions",
    "batch_confirm",
    "batch_propose",
    "batch_return",
    "campaign_create",
    "co_unit_replace",
    "concentration_report",
    "consultation_record",
    "contact_record",
    "follow_up_visit",
    "missing_opinions",
    "opinion_assign",
    "opinion_complete",
    "opinion_give",
    "opinion_messages",
    "opinion_register",
    "opinion_waive",
    "orders_recompute",
    "overall_of",
    "overdue_escalate",
    "receipt_moved",
    "reply_extension_decide",
    "reply_extension_request",
    "reply_send",
    "session_create",
    "suggestion_accept",
    "suggestion_mark_key",
    "suggestion_publish",
    "suggestion_reassign",
    "suggestion_reject",
    "suggestion_submit",
    "suggestion_treat_as_letter",
    "suggestion_unpublish",
    "suggestion_withdraw",
    "supervision_close",
    "supervision_escalate",
    "supervision_issue",
    "supervision_respond",
    "verdict_give",
    "verdict_messages",
]
