"""The services of 联商, by stage: the register (matters), joint analyses and their imports.
Every state change: access → atomic → lock → validate → save → audit → outbox."""

from wulian.consultation.services.analyses import analysis_create, analysis_report, analyst_add
from wulian.consultation.services.imports import audit_items_import
from wulian.consultation.services.inspections import (
    inspection_finding_add,
    inspection_finding_hand_on,
    inspection_save,
)
from wulian.consultation.services.matters import (
    matter_create,
    matter_link,
    matter_unlink,
    matter_update,
)

__all__ = [
    "analysis_create",
    "analysis_report",
    "analyst_add",
    "audit_items_import",
    "inspection_finding_add",
    "inspection_finding_hand_on",
    "inspection_save",
    "matter_create",
    "matter_link",
    "matter_unlink",
    "matter_update",
]
