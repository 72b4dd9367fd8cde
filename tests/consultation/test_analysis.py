"""Joint analyses: the import of an audit-rectification list (all or nothing with a row
report, fuzzed), the analysts, the report (.docx), findings to rectification or a clue, the
background import of a large list, and the quarterly reminder job."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.consultation.helpers import HEADER, good_row, make_analysis, workbook
from wulian.consultation import selectors, services
from wulian.consultation.jobs import quarterly_reminder
from wulian.consultation.models import AuditItem, QuarterReminder
from wulian.core.access import actor_for
from wulian.core.errors import AccessDenied, TransitionNotAllowed, ValidationFailed

pytestmark = [pytest.mark.django_db]
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime(2027, 3, 1, 10, 0, tzinfo=SH), tick=False):
        yield


def _import(p, analysis, data, who="congress_clerk"):
    return services.audit_items_import(
        actor=actor_for(p.users[who]), analysis_id=analysis.pk, file=data, filename="清单.xlsx"
    )


def test_a_good_list_is_imported_whole_and_counted(personas):
    analysis = make_analysis(personas)
    rows = [good_row(i, "已整改" if i <= 3 else "整改中") for i in range(1, 5)]
    result = _import(personas, analysis, workbook(rows))
    assert result.ok and result.counts == {"items_added": 4}
    counts = selectors.analysis_counts(analysis)
    assert counts["total"] == 4 and counts["rate"] == "75.0%"


def test_one_bad_row_imports_nothing_and_says_where(personas):
    analysis = make_analysis(personas)
    rows = [good_row(1), good_row(2), ["单位", "", "", "问题", "abc", "", "2027-13-40", "好了"]]
    result = _import(personas, analysis, workbook(rows))
    assert not result.ok
    where = {(e.row, e.column) for e in result.errors}
    assert {(4, "问题类别"), (4, "涉及金额（万元）"), (4, "整改期限"), (4, "整改状态")} <= where
    assert not AuditItem.objects.exists()


def test_a_file_that_is_not_a_workbook_or_lacks_the_sheet_is_refused_in_words(personas):
    analysis = make_analysis(personas)
    with pytest.raises(ValidationFailed) as exc:
        _import(personas, analysis, b"not a workbook")
    assert "xlsx" in exc.value.message
    with pytest.raises(ValidationFailed) as exc:
        _import(personas, analysis, workbook([good_row()], sheet="Sheet1"))
    assert "审计整改清单" in exc.value.message


def test_only_the_lead_and_partner_import(personas):
    analysis = make_analysis(personas)
    with pytest.raises(AccessDenied):
        _import(personas, analysis, workbook([good_row()]), who="stationed")


CELL = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["已整改", "整改中", "未整改", "2027-06-30", "ZF-MZ", "12.5", "-1"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(rows=st.lists(st.lists(CELL, min_size=0, max_size=10), min_size=0, max_size=8))
def test_fuzz_no_crash_and_never_a_partial_import(personas, rows):
    analysis = make_analysis(personas)
    try:
        data = workbook(rows)
    except Exception:  # openpyxl refuses some cell values: not our input to judge
        return
    before = AuditItem.objects.count()
    try:
        result = _import(personas, analysis, data)
    except ValidationFailed:
        assert AuditItem.objects.count() == before
        return
    added = AuditItem.objects.count() - before
    assert added == (result.counts.get("items_added", 0) if result.ok else 0)
    if result.ok:
        assert added == sum(1 for r in rows if any(c not in (None, "") for c in r))


def test_the_report_is_issued_once_after_an_import_and_then_nothing_more_is_imported(personas):
    analysis = make_analysis(personas)
    actor = actor_for(personas.cdi_officer)  # the partner's staff
    with pytest.raises(ValidationFailed):
        services.analysis_report(actor=actor, analysis_id=analysis.pk, version=1, report="意见")
    _import(personas, analysis, workbook([good_row()]))
    done = services.analysis_report(actor=actor, analysis_id=analysis.pk, version=1, report="意见")
    assert done.state == "reported"
    with pytest.raises(TransitionNotAllowed):
        services.analysis_report(actor=actor, analysis_id=analysis.pk, version=2, report="再次")
    with pytest.raises(TransitionNotAllowed):
        _import(personas, analysis, workbook([good_row()]))


def test_analysts_come_from_either_side_only(personas):
    analysis = make_analysis(personas)
    actor = actor_for(personas.congress_clerk)
    services.analyst_add(
        actor=actor, analysis_id=analysis.pk, person_id=personas.cdi_officer.person.pk
    )
    with pytest.raises(ValidationFailed):
        services.analyst_add(
            actor=actor, analysis_id=analysis.pk, person_id=personas.unit_a.person.pk
        )
    with pytest.raises(ValidationFailed):  # twice
        services.analyst_add(
            actor=actor, analysis_id=analysis.pk, person_id=personas.cdi_officer.person.pk
        )


def test_the_report_docx_names_no_clue_and_a_clue_is_listed_only_to_its_readers(
    personas, client_of
):
    from docx import Document

    from wulian.core.clues import services as clue_services

    analysis = make_analysis(personas)
    _import(personas, analysis, workbook([good_row()]))
    clue_services.clue_draft(
        actor=actor_for(personas.congress_clerk),
        data={
            "subject_name": "李某某",
            "violation_type": "integrity",
            "content": "审计发现的问题涉及公职人员违规收受好处。",
            "receiving_org_id": personas.orgs["cdi"].pk,
            "sending_org_id": personas.orgs["congress_body"].pk,
        },
        source=analysis,
    )
    assert (
        len(selectors.clues_from(actor=actor_for(personas.congress_clerk), analysis=analysis)) == 1
    )
    assert selectors.clues_from(actor=actor_for(personas.stationed), analysis=analysis) == []
    page = client_of(personas.stationed).get(analysis.get_absolute_url()).content.decode()
    assert "移送的问题线索" not in page
    body = client_of(personas.stationed).get(f"/consultation/analyses/{analysis.pk}/docx/")
    text = "\n".join(p.text for p in Document(io.BytesIO(body.content)).paragraphs)
    assert "李某某" not in text and "联合研判报告" in text


def test_a_large_list_goes_to_the_background_with_progress_and_imports_whole(
    personas, client_of, settings
):
    from wulian.core import background
    from wulian.core.models import BackgroundTask

    settings.WULIAN_BACKGROUND_ROWS = 5
    analysis = make_analysis(personas)
    data = workbook([good_row(i) for i in range(1, 31)])
    client = client_of(personas.congress_clerk)
    upload = io.BytesIO(data)
    upload.name = "清单.xlsx"
    response = client.post(f"/consultation/analyses/{analysis.pk}/import/", {"file": upload})
    assert response.status_code == 302
    task = BackgroundTask.objects.get()
    assert AuditItem.objects.count() == 0
    background.run_one()
    task.refresh_from_db()
    assert task.state == "done", task.error if hasattr(task, "error") else task.state
    assert AuditItem.objects.filter(analysis=analysis).count() == 30


def test_the_quarterly_reminder_is_sent_once_even_when_run_twice(personas):
    now = datetime(2027, 4, 2, 9, 0, tzinfo=SH)
    first = quarterly_reminder(now)
    second = quarterly_reminder(now)
    assert first == 2 and second == 0
    assert QuarterReminder.objects.filter(year=2027, quarter=2).count() == 2


def test_no_reminder_when_a_joint_meeting_is_planned_in_the_quarter(personas):
    from wulian.core.activities import services as activity_services

    activity_services.activity_create(
        actor=actor_for(personas.congress_clerk),
        data={
            "kind": "joint_review",
            "title": "会商会审",
            "starts_at": datetime(2027, 5, 10, 9, 0, tzinfo=SH),
            "ends_at": datetime(2027, 5, 10, 11, 0, tzinfo=SH),
            "place": "会议室",
            "sensitivity": "internal",
            "notes": "",
            "organiser_id": personas.orgs["congress_body"].pk,
        },
    )
    assert quarterly_reminder(datetime(2027, 4, 2, 9, 0, tzinfo=SH)) == 0


def test_header_of_the_template_is_the_file_format():
    from openpyxl import load_workbook

    from wulian.consultation.services.imports import template_workbook

    wb = load_workbook(io.BytesIO(template_workbook()))
    assert [c.value for c in wb["审计整改清单"][1]] == HEADER
