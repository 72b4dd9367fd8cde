"""Domain errors raised by services and rendered once for the UI (inline message or error
page) and once for the API (problem+json)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """A refusal the user can understand and act on. `message` is user-facing text."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class AccessDenied(PermissionDenied):
    """The actor may not do this to this record. A PermissionDenied, so Django renders 403."""

    status = 403
    code = "forbidden"

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message


class ValidationFailed(DomainError):
    status = 400
    code = "invalid"


class TransitionNotAllowed(DomainError):
    status = 409
    code = "wrong_state"


def next_state(
    table: Mapping[tuple[str, str], str],
    record: Any,
    step: str,
    steps: Any,
    refusal: str,
    field: str = "state",
) -> str:
    """The state `step` leads `record` to in its transition table, or TransitionNotAllowed
    with `refusal` ("该线索当前为“%(state)s”，不能%(step)s。": the record's state and the step,
    by their labels — `steps` the step's choices)."""
    target = table.get((getattr(record, field), step))
    if target is None:
        state = getattr(record, f"get_{field}_display")()
        raise TransitionNotAllowed(refusal % {"state": state, "step": steps(step).label})
    return target


class ConcurrentEdit(DomainError):
    """Someone else saved the record after this actor loaded it."""

    status = 409
    code = "edit_conflict"


class RuleViolation(DomainError):
    """A business rule (such as 三员分立) forbids the change."""

    status = 409
    code = "rule_violation"


class ConfirmationNeeded(ValidationFailed):
    """The change is allowed but unusual or irreversible: the person must confirm it (a
    `confirm` box on the form, `"confirm": true` in the API) after reading the message."""

    code = "confirmation_needed"

    def __init__(self, message: str):
        super().__init__(message, field_errors={"confirm": [message]})
