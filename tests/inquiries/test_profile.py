"""专题询问 in a department's supervision profile (issue 20): the commitments the department
made when answering, those kept and those overdue — each the rectification ledger filtered
alike (来源 专题询问), and none of another source counted."""

from __future__ import annotations

from django.http import QueryDict

from tests.inquiries import helpers as h
from tests.personas import client_for
from tests.rectification.helpers import make_finding
from wulian.core.access import actor_for
from wulian.core.rectification import selectors as rect_selectors
from wulian.core.rectification.models import Rectification
from wulian.inquiries import services
from wulian.reports import profile


def _query(url: str) -> QueryDict:
    return QueryDict(url.split("?", 1)[1])


def test_the_commitments_are_the_ledger_of_their_source(p):
    q = h.answered(p)
    finding = services.commitment_add(
        actor=p.congress_clerk,
        question_id=q.pk,
        version=q.version,
        title="停车泊位供给不足",
        content="年内新增公共停车泊位2000个。",
    )
    year = Rectification.objects.get(finding=finding).year
    make_finding(p, units=("unit_a",))  # another source: not a commitment
    a = p.orgs["unit_a"].pk
    for who in ("congress_clerk", "unit_a"):
        actor = actor_for(p.users[who])
        signal = profile.organisation_profile(actor=actor, organisation_id=a, year=year).signal(
            "inquiries.total"
        )
        assert signal.value == 1, who
        listed = rect_selectors.rectification_ledger(actor=actor, filters=_query(signal.url))
        assert list(listed.values_list("finding_id", flat=True)) == [finding.pk], who
    # The ledger's own page offers the filter, and an unknown source lists nothing.
    client = client_for(p.congress_clerk)
    html = client.get("/rectification/?source=inquiries").content.decode()
    assert '<option value="inquiries" selected>专题询问</option>' in html
    assert "停车泊位供给不足" in html and "养老服务补贴发放不及时" not in html
    # An unknown source gets its message and no rows, as any bad value of the ledger's filters.
    html = client.get("/rectification/?source=nothing.here").content.decode()
    assert 'class="field-error"' in html and "停车泊位供给不足" not in html.split("</form>", 1)[-1]
