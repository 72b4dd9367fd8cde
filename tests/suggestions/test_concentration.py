"""Concentrated opinions reported to the CDI (集中反映通报; issue 14).

Source of the rule: the Huangshi article [CN1] (《探索“五联”工作机制》, 楚天主人 2024 No. 9):
"对于…人大代表反映比较集中的建议、批评和意见，市人大常委会将及时向市纪委通报，并将其中可能
存在的违纪违法问题转交市纪委研究处理". What counts as concentrated is a local setting
(SUGGESTION_CONCENTRATION_MIN_DEPUTIES, SUGGESTION_CONCENTRATION_SIMILARITY; docs/adr/0019).
A report that may point at 违纪违法 by persons is clue-grade (ADR 0007)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PersonFactory
from tests.suggestions.helpers import make_opinion, make_report, make_suggestion
from wulian.core import access
from wulian.core.bulletins import services as bulletin_services
from wulian.core.bulletins.models import Bulletin, BulletinSensitivity, BulletinState
from wulian.core.errors import (
    AccessDenied,
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import AuditEvent
from wulian.core.notifications.models import OutboxMessage
from wulian.suggestions import concentration, search, services
from wulian.suggestions.choices import SuggestionStatus as S
from wulian.suggestions.models import ConcentrationReport, Suggestion

LIFT = "关于老旧小区加装电梯财政补贴资金发放的建议"
LIFT_TEXT = "老旧小区加装电梯财政补贴资金迟迟不发放，居民反映强烈，建议尽快发放加装电梯补贴资金。"
OTHER = "关于建设城市书房的建议"
OTHER_TEXT = "建议在新建社区配套建设城市书房，方便居民阅读。"


def _suggestion(p, title: str, content: str, deputy=None, status: str = S.HANDLING) -> Suggestion:
    s = make_suggestion(
        p, status, title=title, content=content, lead_deputy=deputy or PersonFactory()
    )
    Suggestion.objects.filter(pk=s.pk).update(search_tokens=search.tokens_for(title, content))
    return Suggestion.objects.get(pk=s.pk)


@pytest.fixture(autouse=True)
def _no_clusters_kept():
    """Clusters are kept in the cache (concentration.clusters): each test finds its own."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cluster(personas):
    """Two suggestions and one station opinion about lift subsidies from three deputies, and
    one unrelated suggestion."""
    p = personas
    first = _suggestion(p, LIFT, LIFT_TEXT)
    second = _suggestion(p, "关于加快发放老旧小区加装电梯补贴资金的建议", LIFT_TEXT)
    opinion = make_opinion(
        p,
        content="老旧小区加装电梯补贴资金一直没有发放，群众意见大。",
        collected_by=PersonFactory(),
    )
    _suggestion(p, OTHER, OTHER_TEXT)
    return first, second, opinion


def test_similar_suggestions_and_opinions_of_three_deputies_form_a_cluster(personas, cluster):
    first, second, opinion = cluster
    (found,) = concentration.clusters(2026)
    assert found.seed == f"s{first.pk}"  # suggestions first, oldest first
    assert set(found.suggestion_ids) == {first.pk, second.pk}
    assert found.opinion_ids == [opinion.pk]
    assert found.deputy_count == 3 and found.report is None


def test_two_deputies_are_not_concentrated(personas, settings):
    p = personas
    same = PersonFactory()
    _suggestion(p, LIFT, LIFT_TEXT, deputy=same)
    _suggestion(p, "关于加快发放老旧小区加装电梯补贴资金的建议", LIFT_TEXT, deputy=same)
    make_opinion(p, content="老旧小区加装电梯补贴资金一直没有发放。", collected_by=PersonFactory())
    assert concentration.clusters(2026) == []
    settings.SUGGESTION_CONCENTRATION_MIN_DEPUTIES = 2
    assert len(concentration.clusters(2026)) == 1


def test_refused_and_unreviewed_submissions_do_not_count(personas):
    p = personas
    for status in (S.SUBMITTED, S.NOT_ACCEPTED, S.AS_LETTER):
        _suggestion(p, LIFT, LIFT_TEXT, status=status)
    _suggestion(p, LIFT, LIFT_TEXT)
    assert concentration.clusters(2026) == []


def test_the_office_reports_a_cluster_to_the_cdi_in_one_click(personas, cluster):
    p = personas
    first, second, opinion = cluster
    report = services.concentration_report(
        actor=p.congress_clerk, year=2026, seed=f"s{first.pk}", summary="三名代表反映补贴未发放"
    )
    assert report.receiving_org == p.orgs["cdi"] and report.sending_org == p.orgs["congress_body"]
    assert set(report.suggestion_ids) == {first.pk, second.pk}
    assert report.opinion_ids == [opinion.pk] and report.deputy_count == 3
    assert ConcentrationReport.KIND == "suggestions.concentrated_opinions"
    # Issued to the CDI as a bulletin (签收 and 反馈), linked to the report.
    bulletin = Bulletin.objects.get(pk=int(report.bulletin_ref))
    assert bulletin.state == BulletinState.ISSUED and bulletin.linked_record == report
    assert bulletin.sensitivity == BulletinSensitivity.ORDINARY
    assert bulletin.issuer == p.orgs["congress_body"] and LIFT in bulletin.title
    assert list(bulletin.recipients.values_list("organisation", flat=True)) == [p.orgs["cdi"].pk]
    assert access.can(p.cdi_officer, "bulletins.bulletin.sign", bulletin)
    # The CDI sees the suggestions reported to it, and is told.
    assert (
        Suggestion.objects.filter(
            pk__in=[first.pk, second.pk], escalated_to_cdi_at__isnull=False
        ).count()
        == 2
    )
    assert access.can(
        p.cdi_officer, "suggestions.suggestion.view", Suggestion.objects.get(pk=first.pk)
    )
    told = set(
        OutboxMessage.objects.filter(kind="bulletins.bulletin.issued").values_list(
            "recipient__username", flat=True
        )
    )
    assert "cdi_officer" in told and "unit_a" not in told
    # The CDI signs for it; the report's page leads to the bulletin.
    bulletin_services.bulletin_sign(
        actor=p.cdi_officer,
        bulletin_id=bulletin.pk,
        organisation_id=p.orgs["cdi"].pk,
    )
    assert bulletin.recipients.get().signed_at is not None
    ev = AuditEvent.objects.get(action="suggestions.concentration.reported")
    assert ev.after_data["implicates"] is False and "三名代表" not in str(ev.after_data)
    # Listed as reported; a second report of the same cluster is refused.
    assert concentration.clusters(2026)[0].report == report
    with pytest.raises(RuleViolation):
        services.concentration_report(
            actor=p.congress_clerk, year=2026, seed=f"s{first.pk}", summary="再次通报"
        )


def test_report_refusals(personas, cluster):
    p = personas
    first, _second, _opinion = cluster
    seed = f"s{first.pk}"
    for who in (p.unit_a, p.deputy, p.gov_supervisor, p.stationed, p.cdi_officer):
        with pytest.raises(AccessDenied):
            services.concentration_report(actor=who, year=2026, seed=seed, summary="x")
    with pytest.raises(ValidationFailed) as exc:
        services.concentration_report(actor=p.congress_clerk, year=2026, seed=seed, summary=" ")
    assert "summary" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        services.concentration_report(
            actor=p.congress_clerk, year=2026, seed=seed, summary="x", implicates=True
        )
    assert "implication_note" in exc.value.field_errors
    with pytest.raises(ValidationFailed):
        services.concentration_report(
            actor=p.congress_clerk, year=2026, seed=seed, summary="x", implication_note="y"
        )
    with pytest.raises(TransitionNotAllowed):  # not a cluster's first member
        services.concentration_report(
            actor=p.congress_clerk, year=2026, seed="s999999", summary="x"
        )
    assert not ConcentrationReport.objects.exists()


def test_a_report_that_may_implicate_persons_is_clue_grade(personas, cluster):
    """ADR 0007: only the sending office and the CDI's clue officers see it; its note is
    encrypted at rest and in no audit event or notification."""
    p = personas
    first, _second, _opinion = cluster
    report = services.concentration_report(
        actor=p.congress_clerk,
        year=2026,
        seed=f"s{first.pk}",
        summary="补贴发放迟缓",
        implicates=True,
        implication_note="街道经办人员可能截留补贴资金",
    )
    may = lambda who: access.can(who, "suggestions.concentrationreport.view", report)  # noqa: E731
    assert may(p.congress_clerk) and may(p.cdi_clue)
    for who in (p.cdi_officer, p.gov_supervisor, p.stationed, p.unit_a, p.deputy):
        assert not may(who)
    listed = lambda who: list(  # noqa: E731
        access.scope(who, "suggestions.concentrationreport.view", ConcentrationReport.objects.all())
    )
    assert listed(p.congress_clerk) == [report] == listed(p.cdi_clue)
    assert listed(p.cdi_officer) == []
    # Encrypted at rest; never in the audit event or a notification.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT implication_note FROM suggestions_concentrationreport WHERE id = %s",
            [report.pk],
        )
        (stored,) = cursor.fetchone()
    assert "截留" not in stored
    ev = AuditEvent.objects.get(action="suggestions.concentration.reported")
    assert "截留" not in str(ev.after_data) and ev.after_data["implicates"] is True
    messages = OutboxMessage.objects.filter(kind="bulletins.bulletin.issued")
    assert {m.recipient.username for m in messages} == {"cdi_clue"}
    assert all("截留" not in m.title + m.body and LIFT not in m.title for m in messages)
    # Its bulletin is clue-grade: the CDI's clue officers sign for it, nobody else there sees it;
    # the note is not in it.
    bulletin = Bulletin.objects.get(pk=int(report.bulletin_ref))
    assert bulletin.sensitivity == BulletinSensitivity.CLUE and bulletin.linked_record == report
    assert "截留" not in bulletin.title + bulletin.body and LIFT not in bulletin.title
    sees = lambda who: access.can(who, "bulletins.bulletin.view", bulletin)  # noqa: E731
    assert sees(p.cdi_clue) and sees(p.congress_clerk)
    for who in (p.cdi_officer, p.gov_supervisor, p.stationed, p.unit_a, p.deputy):
        assert not sees(who)
    assert access.can(p.cdi_clue, "bulletins.bulletin.sign", bulletin)
    assert not access.can(p.cdi_officer, "bulletins.bulletin.sign", bulletin)


def test_an_ordinary_report_is_seen_by_the_office_and_the_cdi(personas):
    p = personas
    report = make_report(p)
    may = lambda who: access.can(who, "suggestions.concentrationreport.view", report)  # noqa: E731
    assert may(p.congress_clerk) and may(p.cdi_officer) and may(p.cdi_clue)
    for who in (p.gov_supervisor, p.stationed, p.unit_a, p.deputy):
        assert not may(who)


def test_the_report_page_hides_a_clue_grade_report(personas, client_of):
    p = personas
    report = make_report(p, implicates=True)
    url = reverse("suggestions:concentration_report_detail", args=[report.pk])
    assert client_of(p.cdi_officer).get(url).status_code == 404
    page = client_of(p.cdi_clue).get(url)
    assert page.status_code == 200 and "补贴资金可能被挪用" in page.content.decode()


def test_the_list_page_offers_the_report_and_counts_its_queries(personas, cluster, client_of):
    p = personas
    first, _second, _opinion = cluster
    client = client_of(p.congress_clerk)
    url = reverse("suggestions:concentration_list") + "?year=2026"
    client.get(url)  # the session's first request reads more (sign-in, seats)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("suggestions:suggestion_report_concentrated", args=[first.pk]) in body
    for _i in range(3):
        _suggestion(p, "关于加装电梯补贴资金尽快发放的建议", LIFT_TEXT)
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(few)  # more suggestions, not more queries
    # Kept while nothing changed: the texts are not read again.
    with CaptureQueriesContext(connection) as kept:
        assert client.get(url).status_code == 200
    assert len(kept) < len(few)
    # The step through its page door: the report, then its page.
    done = client.post(
        reverse("suggestions:suggestion_report_concentrated", args=[first.pk]),
        {"summary": "多名代表反映补贴未发放"},
    )
    report = ConcentrationReport.objects.get()
    assert done.status_code == 302 and done["Location"] == report.get_absolute_url()


def test_the_figures_count_the_clusters_and_the_reports(personas, cluster, client_of):
    p = personas
    first, _second, _opinion = cluster
    services.concentration_report(
        actor=p.congress_clerk, year=2026, seed=f"s{first.pk}", summary="通报"
    )
    page = client_of(p.congress_clerk).get(reverse("suggestions:figures") + "?year=2026")
    page = page.content.decode()
    assert 'data-figure="concentration_reported"' in page
    assert reverse("suggestions:concentration_list") in page
    page = client_of(p.unit_a).get(reverse("suggestions:figures") + "?year=2026").content.decode()
    assert 'data-figure="concentration_reported"' in page
    assert reverse("suggestions:concentration_list") not in page  # only the office lists them


def test_the_report_page_leads_to_its_bulletin(personas, cluster, client_of):
    p = personas
    first, _second, _opinion = cluster
    report = services.concentration_report(
        actor=p.congress_clerk, year=2026, seed=f"s{first.pk}", summary="三名代表反映补贴未发放"
    )
    bulletin = Bulletin.objects.get(pk=int(report.bulletin_ref))
    url = reverse("suggestions:concentration_report_detail", args=[report.pk])
    for who in (p.congress_clerk, p.cdi_officer):
        page = client_of(who).get(url).content.decode()
        assert bulletin.get_absolute_url() in page and bulletin.number_label in page
