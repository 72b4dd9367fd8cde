"""Issue 13, item 10: the judicial imports over `WULIAN_BACKGROUND_ROWS` rows run in the worker
(tests/core/test_background_imports.py has the whole story on the suggestions' import)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from tests.judicial.test_pool_and_cases import CASE_HEADER, EXPERT_HEADER, workbook
from tests.personas import client_for
from wulian.core import background
from wulian.core.models import BackgroundTask, TaskState
from wulian.judicial.models import Case, Expert

pytestmark = pytest.mark.django_db


def _post(user, name: str, data: bytes):
    f = io.BytesIO(data)
    f.name = "import.xlsx"
    return client_for(user).post(reverse(name), {"file": f})


def test_the_judicial_case_import_runs_in_the_background(p, settings):
    settings.WULIAN_BACKGROUND_ROWS = 2
    rows = [
        [
            f"(2023)鄂02民初{60 + i}号",
            "FY",
            "涉企审判案件",
            "买卖合同纠纷",
            "某公司（被告，企业）",
            "赵法官",
            "",
        ]
        for i in range(3)
    ]
    response = _post(
        p.users["stationed"], "judicial:case_import", workbook("案件", CASE_HEADER, rows)
    )
    task = BackgroundTask.objects.get()
    assert response.status_code == 302 and response["Location"] == task.get_absolute_url()
    before = Case.objects.count()
    background.run_queued()
    task.refresh_from_db()
    assert task.state == TaskState.DONE, task.message
    assert Case.objects.count() == before + 3


def test_an_expert_file_with_problems_queued_imports_nothing(p, settings):
    settings.WULIAN_BACKGROUND_ROWS = 2
    rows = [[f"专家{i}", "律师", "民事", "某律所", "某律所"] for i in range(3)]
    rows.append(["无类别专家", "不存在", "民事", "某律所", "某律所"])
    _post(
        p.users["congress_clerk"], "judicial:expert_import", workbook("专家", EXPERT_HEADER, rows)
    )
    background.run_queued()
    task = BackgroundTask.objects.get()
    assert task.state == TaskState.FAILED and not Expert.objects.exists()
    assert [(r["row"], r["column"]) for r in task.report] == [(5, "专家类别")]
