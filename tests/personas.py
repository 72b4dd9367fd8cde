"""The personas every permission test uses: one per kind of person on the platform.

`Personas` builds a small city: the congress and a working body, the CDI and its stationed
group, the government's supervision office, two handling units (A and B), the court, a liaison
station, and one account per role. Second-factor verification is marked on the session by
`client_for()` for the roles that require it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.test import Client

from tests.factories import OrganisationFactory, account
from wulian.accounts.models import User
from wulian.core.choices import OrgKind, Role
from wulian.core.models import Organisation

PERSONA_NAMES = (
    "congress_clerk",
    "cdi_officer",
    "cdi_clue",
    "stationed",
    "gov_supervisor",
    "unit_a",
    "unit_b",
    "court_clerk",
    "deputy",
    "expert",
    "sysadmin",
    "secadmin",
    "auditadmin",
)


@dataclass
class Personas:
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["users"][name]
        except KeyError:
            raise AttributeError(name) from None

    @classmethod
    def build(cls) -> Personas:
        o: dict[str, Organisation] = {}
        o["congress"] = OrganisationFactory(kind=OrgKind.CONGRESS, code="RD", name="市人大常委会")
        o["congress_body"] = OrganisationFactory(
            kind=OrgKind.CONGRESS_BODY, code="RD-DBGW", name="代表工委", parent=o["congress"]
        )
        o["cdi"] = OrganisationFactory(kind=OrgKind.CDI, code="JW", name="市纪委监委")
        o["stationed_group"] = OrganisationFactory(
            kind=OrgKind.STATIONED_GROUP, code="JW-PZ", name="驻人大纪检监察组", parent=o["cdi"]
        )
        o["government"] = OrganisationFactory(kind=OrgKind.GOVERNMENT, code="ZF", name="市政府")
        o["gov_office"] = OrganisationFactory(
            kind=OrgKind.GOV_SUPERVISION_OFFICE,
            code="ZF-DCS",
            name="政务督查室",
            parent=o["government"],
        )
        o["unit_a"] = OrganisationFactory(code="ZF-MZ", name="市民政局", parent=o["government"])
        o["unit_b"] = OrganisationFactory(code="ZF-SF", name="市司法局", parent=o["government"])
        o["court"] = OrganisationFactory(kind=OrgKind.COURT, code="FY", name="市中院")
        o["station"] = OrganisationFactory(
            kind=OrgKind.LIAISON_STATION, code="DB-01", name="联络站", parent=o["congress_body"]
        )
        u: dict[str, User] = {}
        u["congress_clerk"] = account(o["congress_body"], Role.STAFF, username="congress_clerk")
        u["cdi_officer"] = account(o["cdi"], Role.STAFF, username="cdi_officer")
        u["cdi_clue"] = account(o["cdi"], Role.CLUE_OFFICER, username="cdi_clue")
        u["stationed"] = account(o["stationed_group"], Role.STAFF, username="stationed")
        u["gov_supervisor"] = account(o["gov_office"], Role.STAFF, username="gov_supervisor")
        u["unit_a"] = account(o["unit_a"], Role.LIAISON, username="unit_a")
        u["unit_b"] = account(o["unit_b"], Role.LIAISON, username="unit_b")
        u["court_clerk"] = account(o["court"], Role.LIAISON, username="court_clerk")
        u["deputy"] = account(o["station"], Role.DEPUTY, username="deputy")
        u["expert"] = account(o["congress_body"], Role.EXPERT, username="expert")
        u["sysadmin"] = account(o["congress"], Role.SYSTEM_ADMIN, username="sysadmin")
        u["secadmin"] = account(o["congress"], Role.SECURITY_ADMIN, username="secadmin")
        u["auditadmin"] = account(o["congress"], Role.AUDIT_ADMIN, username="auditadmin")
        return cls(orgs=o, users=u)


def client_for(user: User | None) -> Client:
    """A signed-in test client; the second factor is marked verified where the role needs it."""
    client = Client()
    if user is None:
        return client
    client.force_login(user)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from wulian.core.access import actor_for

    if actor_for(user).needs_second_factor:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client
