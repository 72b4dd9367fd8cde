"""A list filtered by a value that is not one (年度 "abc", a state that does not exist) shows
the field's message and no rows — never the whole list, as if the filter had been applied."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.consultation.helpers import make_matter
from tests.personas import client_for
from tests.rectification.helpers import make_finding

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _page(client, url: str, query: dict) -> str:
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "query",
    [{"year": "abc"}, {"year": "2026x"}, {"state": "no_such_state"}],
    ids=["letters", "a-year-and-more", "unknown-state"],
)
def test_the_rectification_ledger_refuses_a_bad_filter_value(personas, query) -> None:
    make_finding(
        personas, units=("unit_a",), title="养老服务补贴发放不及时", found_at=date(2026, 3, 1)
    )
    client = client_for(personas.congress_clerk)
    assert "养老服务补贴发放不及时" in _page(client, "/rectification/", {"year": 2026})
    html = _page(client, "/rectification/", query)
    assert 'class="field-error"' in html
    assert "养老服务补贴发放不及时" not in html.split("</form>", 1)[-1]


def test_the_consultation_register_refuses_a_bad_year(personas) -> None:
    make_matter(personas, title="2027年监督工作计划（联商）")
    client = client_for(personas.congress_clerk)
    assert "2027年监督工作计划（联商）" in _page(client, "/consultation/", {"year": 2027})
    html = _page(client, "/consultation/", {"year": "二〇二七"})
    assert 'class="field-error"' in html
    assert "2027年监督工作计划（联商）" not in html.split("</form>", 1)[-1]
