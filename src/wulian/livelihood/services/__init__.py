"""Writes of the livelihood link, split by stage: the cycle (征集 → 筛选 → 票决 → 决定 → 满意度测评)
and the projects (indicators, monthly actuals with evidence, verification, warnings)."""

from wulian.livelihood.services.cycle import (  # noqa: F401
    candidate_add,
    candidate_screen,
    cycle_create,
    cycle_decide,
    group_from_form,
    group_set,
    satisfaction_open,
    satisfaction_record,
    vote_open,
)
from wulian.livelihood.services.progress import (  # noqa: F401
    actual_question,
    actual_report,
    actual_verify,
    indicator_change,
    photos_publish,
)
from wulian.livelihood.services.supervision import (  # noqa: F401
    milestones_set,
    order_answer,
    order_close,
    order_escalate,
    order_issue,
)
