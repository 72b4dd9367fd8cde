"""Issue 13, item 11 (judicial): an enforcement case's parties are 申请执行人 / 被执行人, and
the case page shows each party's role; the witness sees each excluded expert by name with the
rule that excluded him and what matched — not only counts per rule."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.judicial import helpers as h
from tests.personas import client_for
from wulian.core.choices import ExpertCategory
from wulian.judicial import services
from wulian.judicial.choices import PartyRole
from wulian.judicial.parsing import format_parties, parse_parties

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("judicial_env")]


def test_an_enforcement_case_takes_its_party_roles():
    parties = parse_parties("黄石某某机械有限公司（申请执行人，企业）\n张三（被执行人）")
    assert parties == [
        {
            "name": "黄石某某机械有限公司",
            "role": PartyRole.ENFORCEMENT_APPLICANT,
            "enterprise": True,
        },
        {"name": "张三", "role": PartyRole.ENFORCEMENT_RESPONDENT, "enterprise": False},
    ]
    assert format_parties(parties) == "黄石某某机械有限公司（申请执行人，企业）\n张三（被执行人）"


def test_the_case_page_shows_each_partys_role(p):
    case = h.make_case(
        p,
        "（2023）鄂02执123号",
        parties=[
            {"name": "甲公司", "role": PartyRole.ENFORCEMENT_APPLICANT, "enterprise": True},
            {"name": "李四", "role": PartyRole.ENFORCEMENT_RESPONDENT, "enterprise": False},
            {"name": "王五", "role": PartyRole.OTHER, "enterprise": False},
        ],
    )
    page = client_for(p.users["congress_clerk"]).get(case.get_absolute_url()).content.decode()
    assert "甲公司（申请执行人，企业）、李四（被执行人）、王五</dd>" in page


def test_the_witness_sees_each_excluded_expert_and_the_rule(p):
    h.small_pool(p)
    extra_lawyer = h.make_expert(name="同所律师", category=ExpertCategory.LAWYER)
    extra_prof = h.make_expert(name="赵教授", category=ExpertCategory.PROFESSOR)
    extra_deputy = h.make_expert(name="钱代表", category=ExpertCategory.DEPUTY)
    firm = extra_lawyer.profile.law_firm
    batch = h.make_batch(p, cases=0)
    h.make_case(p, batch=batch, lawyers=[{"name": "李四", "firm": firm, "party": ""}])
    services.expert_suspend(
        actor=p.users["congress_clerk"],
        expert_id=extra_prof.pk,
        version=extra_prof.version,
        reason="长期出差",
    )
    assert extra_deputy  # in the pool, not excluded
    d = services.draw_freeze(actor=p.users["congress_clerk"], batch_id=batch.pk, version=1)
    url = reverse("judicial:draw_detail", args=[d.pk])
    page = client_for(p.users["stationed"]).get(url).content.decode()
    assert 'id="exclusions"' in page
    assert f'data-exclusion="{extra_lawyer.ref}"' in page and "同所律师" in page
    assert "与当事人代理律师同一律所" in page and firm in page
    assert f'data-exclusion="{extra_prof.ref}"' in page and "已暂停" in page
    assert "钱代表" not in page.split('id="exclusions"')[1].split("</section>")[0]
    # The court and the other watchers before the review: counts only, no names.
    cdi = client_for(p.users["cdi_officer"]).get(url).content.decode()
    assert 'id="exclusions"' not in cdi and "同所律师" not in cdi
