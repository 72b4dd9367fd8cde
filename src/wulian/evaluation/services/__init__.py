"""Services of 联评 (ADR 0028). Each: access → atomic → lock → validate → save → audit → outbox.
The primitives are composed, never re-implemented: the 主任会议 decision and the activities
(wulian.core.activities), deadlines, the secret ballot (wulian.core.polls), findings and
rectification, attachments (the self-report), the bulletin to the CDI and the clues.

The package is split by stage (CONTRIBUTING): `common` (what they share), `approval` (立项),
`dossier`, `during`, `vote` (测评), `after`, `alongside`; everything is importable from here."""

from __future__ import annotations

from wulian.evaluation.services.after import (
    evaluation_close,
    open_rectifications,
    opinion_send,
    report_hear,
    results_share,
)
from wulian.evaluation.services.alongside import (
    clue_refer,
    conduct_apply,
    conduct_record,
    grade_label,
    scores_record,
)
from wulian.evaluation.services.approval import (
    dimensions_update,
    evaluation_create,
)
from wulian.evaluation.services.common import (
    DOSSIER_WORKING_DAYS,
    MANAGE,
    MAX_DIMENSIONS,
    OPINION_WORKING_DAYS,
    REPORT_MONTHS,
)
from wulian.evaluation.services.dossier import (
    dossier_add,
    dossier_attach,
    dossier_deliver,
    dossier_read,
    dossier_use,
)
from wulian.evaluation.services.during import (
    ADVANCE_FROM,
    activity_add,
    activity_held,
    evaluation_advance,
    finding_add,
    linked_activity_ids,
    self_report_count,
    self_report_upload,
)
from wulian.evaluation.services.vote import (
    reevaluation_due,
    same_department,
    vote_record,
)

__all__ = [
    "ADVANCE_FROM",
    "DOSSIER_WORKING_DAYS",
    "MANAGE",
    "MAX_DIMENSIONS",
    "OPINION_WORKING_DAYS",
    "REPORT_MONTHS",
    "activity_add",
    "activity_held",
    "clue_refer",
    "conduct_apply",
    "conduct_record",
    "dimensions_update",
    "dossier_add",
    "dossier_attach",
    "dossier_deliver",
    "dossier_read",
    "dossier_use",
    "evaluation_advance",
    "evaluation_close",
    "evaluation_create",
    "finding_add",
    "grade_label",
    "linked_activity_ids",
    "open_rectifications",
    "opinion_send",
    "reevaluation_due",
    "report_hear",
    "results_share",
    "same_department",
    "scores_record",
    "self_report_count",
    "self_report_upload",
    "vote_record",
]
