"""Choice sets of findings and rectification, and the rectification's transition table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("较重")
    MAJOR = "major", _("严重")


class RectificationState(models.TextChoices):
    AWAITING_COMMITMENT = "awaiting_commitment", _("待制定整改措施")
    IN_PROGRESS = "in_progress", _("整改中")
    SUBMITTED = "submitted_for_verification", _("待核验")
    CLOSED = "closed", _("已销号")
    REOPENED = "reopened", _("退回重新整改")


class Step(models.TextChoices):
    """What a person does to a rectification (the audit code's last part in brackets)."""

    COMMIT = "commit", _("制定整改措施")  # committed
    REPORT = "report", _("报送整改进展")  # progress_reported
    SUBMIT = "submit", _("提交核验")  # submitted
    CLOSE = "close", _("核验销号")  # verified_closed
    REOPEN = "reopen", _("退回重新整改")  # reopened


S = RectificationState

# The one place that says which step may be taken in which state, and where it leads.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.AWAITING_COMMITMENT, Step.COMMIT): S.IN_PROGRESS,
    (S.REOPENED, Step.COMMIT): S.IN_PROGRESS,
    (S.IN_PROGRESS, Step.REPORT): S.IN_PROGRESS,
    (S.IN_PROGRESS, Step.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, Step.CLOSE): S.CLOSED,
    (S.SUBMITTED, Step.REOPEN): S.REOPENED,
}

# States in which the responsible unit has something to do, and in which the raising
# organisation does.
UNIT_TURN = frozenset({S.AWAITING_COMMITMENT, S.IN_PROGRESS, S.REOPENED})
RAISER_TURN = frozenset({S.SUBMITTED})
OPEN_STATES = frozenset(set(S.values) - {S.CLOSED})


def steps_from(state: str) -> list[str]:
    return [step for (from_state, step) in TRANSITIONS if from_state == state]


# The kinds of deadline opened on a rectification.
DEADLINE_COMMITMENT = "commitment"
DEADLINE_RECTIFICATION = "rectification"
