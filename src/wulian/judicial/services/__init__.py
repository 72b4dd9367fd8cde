"""The judicial link's services — the only place its state changes. One module per part:
pool, cases, batches, draws, review, suggestions, petitions, imports; all re-exported here."""

from wulian.judicial.services.batches import (
    batch_close,
    batch_create,
    batch_open_review,
    batch_update,
)
from wulian.judicial.services.cases import case_file, case_update
from wulian.judicial.services.draws import (
    draw_abort_confirm,
    draw_abort_refuse,
    draw_abort_request,
    draw_commit,
    draw_enter_input,
    draw_freeze,
    draw_open_result,
    draw_run,
    draw_verify,
    draw_verify_record,
    invitation_accept,
    invitation_decline,
    public_record,
)
from wulian.judicial.services.imports import cases_import, experts_import
from wulian.judicial.services.petitions import (
    petition_answer,
    petition_link_cases,
    petition_register,
    petition_route,
)
from wulian.judicial.services.pool import (
    conflict_declare,
    conflict_withdraw,
    expert_add,
    expert_rate,
    expert_reinstate,
    expert_suspend,
    expert_update,
    pool_version_create,
)
from wulian.judicial.services.review import (
    case_grade,
    problem_record,
    problem_refer_to_cdi,
    score_enter_on_paper,
    score_paper_cosign,
    score_submit,
)
from wulian.judicial.services.suggestions import (
    suggestion_answer,
    suggestion_draft,
    suggestion_record_results,
    suggestion_send,
    suggestion_update,
)

__all__ = [
    "batch_close",
    "batch_create",
    "batch_open_review",
    "batch_update",
    "case_file",
    "case_grade",
    "case_update",
    "cases_import",
    "conflict_declare",
    "conflict_withdraw",
    "draw_abort_confirm",
    "draw_abort_refuse",
    "draw_abort_request",
    "draw_commit",
    "draw_enter_input",
    "draw_freeze",
    "draw_open_result",
    "draw_run",
    "draw_verify",
    "draw_verify_record",
    "expert_add",
    "expert_rate",
    "expert_reinstate",
    "expert_suspend",
    "expert_update",
    "experts_import",
    "invitation_accept",
    "invitation_decline",
    "petition_answer",
    "petition_link_cases",
    "petition_register",
    "petition_route",
    "pool_version_create",
    "problem_record",
    "problem_refer_to_cdi",
    "public_record",
    "score_enter_on_paper",
    "score_paper_cosign",
    "score_submit",
    "suggestion_answer",
    "suggestion_draft",
    "suggestion_record_results",
    "suggestion_send",
    "suggestion_update",
]
