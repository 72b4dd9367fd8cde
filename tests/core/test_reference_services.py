"""Services of the reference data: each success path (new state and exactly one audit event
with its code and before/after) and each refusal (no access, stale version, bad input, the
rules on administrator roles)."""

from __future__ import annotations

import datetime

import pytest

from tests.factories import (
    DeputyProfileFactory,
    MembershipFactory,
    PersonFactory,
)
from wulian.core import services
from wulian.core.choices import OrgKind, Role
from wulian.core.errors import AccessDenied, ConcurrentEdit, RuleViolation, ValidationFailed
from wulian.core.models import (
    AuditEvent,
    DeputyProfile,
    ExpertProfile,
    IntegrityMonitorProfile,
    Membership,
    Organisation,
    Person,
)

pytestmark = pytest.mark.django_db


def only_event(action: str) -> AuditEvent:
    events = list(AuditEvent.objects.all())
    assert [e.action for e in events] == [action]
    return events[0]


def no_events() -> None:
    assert not AuditEvent.objects.exists()


ORG_DATA = {
    "code": "ZF-JY",
    "name": "市教育局",
    "short_name": "教育局",
    "kind": OrgKind.HANDLING_UNIT,
}


# --- Organisations ----------------------------------------------------------------------------


def test_organisation_create(personas):
    parent = personas.orgs["government"]
    org = services.organisation_create(
        actor=personas.sysadmin, data={**ORG_DATA, "parent_id": parent.pk, "region": "下陆区"}
    )
    org.refresh_from_db()
    assert (org.code, org.name, org.parent_id, org.version) == ("ZF-JY", "市教育局", parent.pk, 1)
    ev = only_event("core.organisation.created")
    assert ev.target_id == str(org.pk)
    assert ev.before_data is None
    assert ev.after_data["code"] == "ZF-JY"
    assert ev.after_data["parent_id"] == parent.pk


def test_organisation_create_needs_the_system_administrator(personas):
    for user in (personas.unit_a, personas.secadmin, personas.congress_clerk):
        with pytest.raises(AccessDenied):
            services.organisation_create(actor=user, data=ORG_DATA)
    assert not Organisation.objects.filter(code="ZF-JY").exists()
    no_events()


def test_organisation_create_refuses_bad_input(personas):
    with pytest.raises(ValidationFailed) as exc:
        services.organisation_create(
            actor=personas.sysadmin, data={"code": "ZF-MZ", "name": "", "kind": "nonsense"}
        )
    assert {"code", "name", "kind"} <= set(exc.value.field_errors)
    assert Organisation.objects.filter(code="ZF-MZ").count() == 1
    no_events()


def test_organisation_update(personas):
    org = personas.orgs["unit_a"]
    services.organisation_update(
        actor=personas.sysadmin,
        organisation_id=org.pk,
        version=1,
        data={"name": "市民政局（新）", "region": "黄石港区"},
    )
    org.refresh_from_db()
    assert (org.name, org.region, org.version) == ("市民政局（新）", "黄石港区", 2)
    ev = only_event("core.organisation.updated")
    assert ev.before_data == {"name": "市民政局", "region": ""}
    assert ev.after_data == {"name": "市民政局（新）", "region": "黄石港区"}


def test_organisation_update_refuses_a_stale_version(personas):
    org = personas.orgs["unit_a"]
    Organisation.objects.filter(pk=org.pk).update(version=2)
    with pytest.raises(ConcurrentEdit) as exc:
        services.organisation_update(
            actor=personas.sysadmin, organisation_id=org.pk, version=1, data={"name": "改名"}
        )
    assert "已被他人修改" in exc.value.message
    org.refresh_from_db()
    assert (org.name, org.version) == ("市民政局", 2)
    no_events()


def test_organisation_update_refuses_a_parent_cycle(personas):
    government = personas.orgs["government"]
    with pytest.raises(ValidationFailed) as exc:
        services.organisation_update(
            actor=personas.sysadmin,
            organisation_id=government.pk,
            version=1,
            data={"parent_id": personas.orgs["unit_a"].pk},
        )
    assert "parent" in exc.value.field_errors
    government.refresh_from_db()
    assert government.parent_id is None
    no_events()


def test_organisation_update_needs_the_system_administrator(personas):
    org = personas.orgs["unit_a"]
    with pytest.raises(AccessDenied):
        services.organisation_update(
            actor=personas.unit_a, organisation_id=org.pk, version=1, data={"name": "改名"}
        )
    org.refresh_from_db()
    assert org.name == "市民政局"
    no_events()


# --- People -----------------------------------------------------------------------------------


def test_person_create(personas):
    person = services.person_create(
        actor=personas.sysadmin,
        data={"name": "王芳", "gender": "female", "email": "wangfang@example.cn"},
    )
    person.refresh_from_db()
    assert (person.name, person.gender, person.version) == ("王芳", "female", 1)
    ev = only_event("core.person.created")
    assert ev.target_id == str(person.pk)
    assert ev.after_data["email"] == "wangfang@example.cn"


def test_person_create_refuses_bad_input_and_others(personas):
    before = Person.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.person_create(actor=personas.sysadmin, data={"name": "", "email": "not-an-email"})
    assert {"name", "email"} <= set(exc.value.field_errors)
    with pytest.raises(AccessDenied):
        services.person_create(actor=personas.unit_a, data={"name": "王芳"})
    assert Person.objects.count() == before
    no_events()


def test_person_update(personas):
    person = personas.unit_a.person
    services.person_update(
        actor=personas.sysadmin, person_id=person.pk, version=1, data={"title": "科长"}
    )
    person.refresh_from_db()
    assert (person.title, person.version) == ("科长", 2)
    ev = only_event("core.person.updated")
    assert (ev.before_data, ev.after_data) == ({"title": ""}, {"title": "科长"})


def test_person_update_refuses_a_stale_version(personas):
    person = personas.unit_a.person
    Person.objects.filter(pk=person.pk).update(version=3)
    with pytest.raises(ConcurrentEdit):
        services.person_update(
            actor=personas.sysadmin, person_id=person.pk, version=2, data={"title": "科长"}
        )
    person.refresh_from_db()
    assert person.title == ""
    no_events()


# --- Memberships and the three administrators ----------------------------------------------


def test_membership_add(personas):
    person = PersonFactory(name="李明")
    org = personas.orgs["unit_b"]
    membership = services.membership_add(
        actor=personas.sysadmin, person_id=person.pk, organisation_id=org.pk, role=Role.LIAISON
    )
    assert membership.is_active and membership.role == Role.LIAISON
    ev = only_event("core.membership.added")
    assert ev.target_id == str(person.pk)
    assert ev.after_data == {"organisation": "ZF-SF", "role": "liaison", "post": ""}


def test_membership_add_refusals(personas):
    person = PersonFactory(name="李明")
    org = personas.orgs["unit_b"]
    MembershipFactory(person=person, organisation=org, role=Role.STAFF)
    with pytest.raises(AccessDenied):
        services.membership_add(
            actor=personas.unit_b, person_id=person.pk, organisation_id=org.pk, role=Role.LEADER
        )
    with pytest.raises(ValidationFailed):
        services.membership_add(
            actor=personas.sysadmin, person_id=person.pk, organisation_id=org.pk, role="boss"
        )
    with pytest.raises(ValidationFailed) as exc:
        services.membership_add(
            actor=personas.sysadmin, person_id=person.pk, organisation_id=org.pk, role=Role.STAFF
        )
    assert "已在" in exc.value.message
    assert Membership.objects.filter(person=person).count() == 1
    no_events()


def test_administrator_roles_are_granted_by_the_security_administrator_only(personas):
    person = PersonFactory(name="赵安")
    org = personas.orgs["congress"]
    with pytest.raises(AccessDenied):
        services.membership_add(
            actor=personas.sysadmin,
            person_id=person.pk,
            organisation_id=org.pk,
            role=Role.AUDIT_ADMIN,
        )
    no_events()
    services.membership_add(
        actor=personas.secadmin, person_id=person.pk, organisation_id=org.pk, role=Role.AUDIT_ADMIN
    )
    assert only_event("core.membership.added").after_data["role"] == "audit_admin"


def test_no_person_holds_two_administrator_roles(personas):
    sysadmin_person = personas.sysadmin.person
    with pytest.raises(RuleViolation) as exc:
        services.membership_add(
            actor=personas.secadmin,
            person_id=sysadmin_person.pk,
            organisation_id=personas.orgs["congress"].pk,
            role=Role.SECURITY_ADMIN,
        )
    assert "三员分立" in exc.value.message
    assert sysadmin_person.memberships.filter(is_active=True).count() == 1
    no_events()


def test_membership_end(personas):
    membership = personas.unit_a.person.memberships.get()
    services.membership_end(actor=personas.sysadmin, membership_id=membership.pk)
    membership.refresh_from_db()
    assert membership.is_active is False
    ev = only_event("core.membership.ended")
    assert ev.before_data == {"organisation": "ZF-MZ", "role": "liaison"}


def test_membership_end_refusals(personas):
    ordinary = personas.unit_a.person.memberships.get()
    admin = personas.auditadmin.person.memberships.get()
    with pytest.raises(AccessDenied):
        services.membership_end(actor=personas.unit_a, membership_id=ordinary.pk)
    with pytest.raises(AccessDenied):
        services.membership_end(actor=personas.sysadmin, membership_id=admin.pk)
    with pytest.raises(AccessDenied):
        services.membership_end(actor=personas.secadmin, membership_id=ordinary.pk)
    assert Membership.objects.get(pk=ordinary.pk).is_active
    assert Membership.objects.get(pk=admin.pk).is_active
    no_events()


# --- Profiles ---------------------------------------------------------------------------------


def test_deputy_profile_set(personas):
    person = PersonFactory(name="陈代表")
    station = personas.orgs["station"]
    profile = services.deputy_profile_set(
        actor=personas.sysadmin,
        person_id=person.pk,
        data={
            "certificate_no": "HS15-0099",
            "level": "municipal",
            "liaison_station_id": station.pk,
        },
    )
    assert DeputyProfile.objects.get(person=person).certificate_no == "HS15-0099"
    ev = only_event("core.deputy_profile.saved")
    assert ev.after_data["certificate_no"] == "HS15-0099"
    assert ev.after_data["liaison_station_id"] == station.pk
    # Saving the same values again changes nothing and records nothing.
    services.deputy_profile_set(
        actor=personas.sysadmin, person_id=person.pk, data={"certificate_no": "HS15-0099"}
    )
    assert AuditEvent.objects.count() == 1
    assert profile.pk == DeputyProfile.objects.get(person=person).pk


def test_deputy_profile_set_refusals(personas):
    person = PersonFactory()
    DeputyProfileFactory(certificate_no="HS15-0001")
    with pytest.raises(ValidationFailed) as exc:
        services.deputy_profile_set(
            actor=personas.sysadmin,
            person_id=person.pk,
            data={
                "certificate_no": "HS15-0001",
                "level": "galactic",
                "liaison_station_id": personas.orgs["unit_a"].pk,
            },
        )
    assert {"certificate_no", "level", "liaison_station"} <= set(exc.value.field_errors)
    with pytest.raises(AccessDenied):
        services.deputy_profile_set(
            actor=personas.congress_clerk, person_id=person.pk, data={"certificate_no": "X-1"}
        )
    assert not DeputyProfile.objects.filter(person=person).exists()
    no_events()


def test_expert_profile_set(personas):
    person = PersonFactory(name="周律师")
    services.expert_profile_set(
        actor=personas.sysadmin,
        person_id=person.pk,
        data={"category": "lawyer", "specialties": ["民事", "行政"], "law_firm": "楚天律师事务所"},
    )
    profile = ExpertProfile.objects.get(person=person)
    assert profile.specialties == ["民事", "行政"]
    ev = only_event("core.expert_profile.saved")
    assert ev.after_data["specialties"] == ["民事", "行政"]


def test_expert_profile_set_refusals(personas):
    person = PersonFactory()
    with pytest.raises(ValidationFailed) as exc:
        services.expert_profile_set(
            actor=personas.sysadmin, person_id=person.pk, data={"category": "astrologer"}
        )
    assert "category" in exc.value.field_errors
    with pytest.raises(AccessDenied):
        services.expert_profile_set(
            actor=personas.expert, person_id=person.pk, data={"category": "lawyer"}
        )
    assert not ExpertProfile.objects.filter(person=person).exists()
    no_events()


def test_integrity_monitor_profile_set(personas):
    person = PersonFactory(name="吴监督")
    cdi = personas.orgs["cdi"]
    services.integrity_monitor_profile_set(
        actor=personas.sysadmin,
        person_id=person.pk,
        data={
            "appointed_by_id": cdi.pk,
            "appointed_on": datetime.date(2025, 3, 1),
            "area": "民生",
        },
    )
    profile = IntegrityMonitorProfile.objects.get(person=person)
    assert (profile.appointed_by_id, profile.area) == (cdi.pk, "民生")
    ev = only_event("core.integrity_monitor_profile.saved")
    assert ev.after_data == {
        "appointed_by_id": cdi.pk,
        "appointed_on": "2025-03-01",
        "area": "民生",
    }
    services.integrity_monitor_profile_set(
        actor=personas.sysadmin, person_id=person.pk, data={"area": "教育"}
    )
    ev = AuditEvent.objects.order_by("-seq").first()
    assert (ev.before_data, ev.after_data) == ({"area": "民生"}, {"area": "教育"})


def test_integrity_monitor_profile_set_refusals(personas):
    person = PersonFactory()
    with pytest.raises(ValidationFailed) as exc:
        services.integrity_monitor_profile_set(
            actor=personas.sysadmin, person_id=person.pk, data={"area": "民生"}
        )
    assert "appointed_by" in exc.value.field_errors
    with pytest.raises(AccessDenied):
        services.integrity_monitor_profile_set(
            actor=personas.cdi_officer,
            person_id=person.pk,
            data={"appointed_by_id": personas.orgs["cdi"].pk},
        )
    assert not IntegrityMonitorProfile.objects.exists()
    no_events()


def test_a_code_taken_between_validation_and_save_gets_a_clear_message(personas, monkeypatch):
    """Two administrators creating the same code at the same moment: the database's unique
    index decides, and the second is told which code to change."""
    from wulian.core import services
    from wulian.core.errors import ValidationFailed

    existing = personas.orgs["unit_a"]
    monkeypatch.setattr(services, "full_clean_or_fail", lambda obj, **kw: None)
    with pytest.raises(ValidationFailed) as refused:
        services.organisation_create(
            actor=personas.sysadmin,
            data={"code": existing.code, "name": "重复单位", "kind": "handling_unit"},
        )
    assert existing.code in refused.value.field_errors["code"][0]


def test_deactivating_a_person_ends_the_sessions_of_their_account(personas, client_of):
    from django.contrib.sessions.models import Session

    from wulian.accounts.services import session_record

    user = personas.unit_b
    client = client_of(user)
    session_record(user=user, session_key=client.session.session_key)
    assert client.get("/").status_code == 200
    person = user.person
    services.person_update(
        actor=personas.sysadmin,
        person_id=person.pk,
        version=person.version,
        data={"is_active": False},
    )
    assert not Session.objects.filter(session_key=client.session.session_key).exists()
    assert client.get("/").status_code == 302
