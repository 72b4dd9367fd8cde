"""Writes to the reference data: organisations, people, memberships and profiles.

Each service is keyword-only: check access → lock → validate → save only what changed →
audit in the same transaction. A stale `version` is refused with ConcurrentEdit.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from wulian.core import access, audit
from wulian.core.choices import ADMIN_ROLES, Role
from wulian.core.errors import ConcurrentEdit, RuleViolation, ValidationFailed
from wulian.core.models import (
    DeputyProfile,
    ExpertProfile,
    IntegrityMonitorProfile,
    Membership,
    Organisation,
    Person,
)

ORG_FIELDS = (
    "parent_id",
    "kind",
    "code",
    "name",
    "short_name",
    "region",
    "sort_order",
    "is_active",
)
PERSON_FIELDS = ("name", "gender", "title", "phone", "email", "is_active")


def snapshot(obj: Model, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


def full_clean_or_fail(obj: Model, *, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationFailed(
            _("保存失败，请按提示更正。"), field_errors=exc.message_dict
        ) from None


def _stale_message() -> str:
    return _("该记录已被他人修改，您的修改未保存。请刷新页面查看最新内容后再修改。")


def _check_no_cycle(org: Organisation, parent_id: int | None) -> None:
    seen = set()
    current = parent_id
    parents = dict(Organisation.objects.values_list("id", "parent_id"))
    while current is not None:
        if current == org.pk or current in seen:
            raise ValidationFailed(
                _("上级单位不能是本单位或其下级单位。"),
                field_errors={"parent": [_("上级单位不能是本单位或其下级单位。")]},
            )
        seen.add(current)
        current = parents.get(current)


def organisation_create(*, actor: Any, data: dict[str, Any]) -> Organisation:
    access.require(actor, "core.organisation.manage")
    org = Organisation(**{k: v for k, v in data.items() if k in ORG_FIELDS})
    full_clean_or_fail(org)
    try:
        with transaction.atomic():
            org.save(force_insert=True)
            audit.record(
                action="core.organisation.created",
                actor=actor,
                target=org,
                after=snapshot(org, ORG_FIELDS),
            )
    except IntegrityError:
        # Two people created the same code at the same moment: the second is told so.
        message = _("单位代码 %(code)s 已被使用，请换一个。") % {"code": org.code}
        raise ValidationFailed(message, field_errors={"code": [message]}) from None
    return org


def organisation_update(
    *, actor: Any, organisation_id: int, version: int, data: dict[str, Any]
) -> Organisation:
    access.require(actor, "core.organisation.manage")
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation_id)
        if org.version != version:
            raise ConcurrentEdit(_stale_message())
        before = snapshot(org, ORG_FIELDS)
        for key, value in data.items():
            if key in ORG_FIELDS:
                setattr(org, key, value)
        if "parent_id" in data:
            _check_no_cycle(org, data["parent_id"])
        full_clean_or_fail(org)
        old, new = audit.diff(before, snapshot(org, ORG_FIELDS))
        if not new:
            return org
        org.version += 1
        org.save(update_fields=[*new, "version", "updated_at"])
        audit.record(
            action="core.organisation.updated", actor=actor, target=org, before=old, after=new
        )
    return org


def person_create(*, actor: Any, data: dict[str, Any]) -> Person:
    access.require(actor, "core.person.manage")
    person = Person(**{k: v for k, v in data.items() if k in PERSON_FIELDS})
    full_clean_or_fail(person, exclude=["user"])
    with transaction.atomic():
        person.save(force_insert=True)
        audit.record(
            action="core.person.created",
            actor=actor,
            target=person,
            after=snapshot(person, PERSON_FIELDS),
        )
    return person


def person_update(*, actor: Any, person_id: int, version: int, data: dict[str, Any]) -> Person:
    access.require(actor, "core.person.manage")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        if person.version != version:
            raise ConcurrentEdit(_stale_message())
        before = snapshot(person, PERSON_FIELDS)
        for key, value in data.items():
            if key in PERSON_FIELDS:
                setattr(person, key, value)
        full_clean_or_fail(person, exclude=["user"])
        old, new = audit.diff(before, snapshot(person, PERSON_FIELDS))
        if not new:
            return person
        person.version += 1
        person.save(update_fields=[*new, "version", "updated_at"])
        audit.record(
            action="core.person.updated", actor=actor, target=person, before=old, after=new
        )
        if new.get("is_active") is False and person.user_id is not None:
            # A person who leaves keeps no open session (ASVS 7.4.2).
            from wulian.accounts.services import end_sessions_of

            end_sessions_of(person.user)
    return person


def membership_add(
    *, actor: Any, person_id: int, organisation_id: int, role: str, post: str = ""
) -> Membership:
    """Give a person a role in an organisation. Administrator roles are granted by the
    security administrator only, and no person holds two of them (三员分立)."""
    if role in ADMIN_ROLES:
        access.require(actor, "accounts.admin_role.assign")
    else:
        access.require(actor, "core.person.manage")
    if role not in Role.values:
        raise ValidationFailed(_("角色不存在。"), field_errors={"role": [_("请选择有效的角色。")]})
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        organisation = Organisation.objects.get(pk=organisation_id)
        active = Membership.objects.filter(person=person, is_active=True)
        if role in ADMIN_ROLES:
            held = active.filter(role__in=ADMIN_ROLES).exclude(role=role).first()
            if held is not None:
                raise RuleViolation(
                    _("三员分立：%(name)s 已是%(held)s，不能再担任%(role)s。")
                    % {
                        "name": person.name,
                        "held": held.get_role_display(),
                        "role": Role(role).label,
                    }
                )
        if active.filter(organisation=organisation, role=role).exists():
            raise ValidationFailed(
                _("%(name)s 已在%(org)s担任该角色。")
                % {"name": person.name, "org": organisation.display_name}
            )
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    person=person, organisation=organisation, role=role, post=post[:120]
                )
        except IntegrityError:
            raise RuleViolation(_("三员分立：同一人不能同时担任两个管理员角色。")) from None
        audit.record(
            action="core.membership.added",
            actor=actor,
            target=person,
            organisation_id=organisation.pk,
            after={"organisation": organisation.code, "role": role, "post": post},
        )
    return membership


def membership_end(*, actor: Any, membership_id: int) -> Membership:
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("person", "organisation")
            .get(pk=membership_id)
        )
        if membership.role in ADMIN_ROLES:
            access.require(actor, "accounts.admin_role.assign")
        else:
            access.require(actor, "core.person.manage")
        if not membership.is_active:
            return membership
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        audit.record(
            action="core.membership.ended",
            actor=actor,
            target=membership.person,
            organisation_id=membership.organisation_id,
            before={"organisation": membership.organisation.code, "role": membership.role},
        )
    return membership


def deputy_profile_set(*, actor: Any, person_id: int, data: dict[str, Any]) -> DeputyProfile:
    access.require(actor, "core.person.manage")
    fields = ("certificate_no", "level", "delegation", "liaison_station_id", "term")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        profile = DeputyProfile.objects.filter(person=person).first() or DeputyProfile(
            person=person
        )
        before = snapshot(profile, fields) if profile.pk else {}
        for key in fields:
            if key in data:
                setattr(profile, key, data[key])
        full_clean_or_fail(profile, exclude=["person"])
        old, new = audit.diff(before, snapshot(profile, fields))
        if profile.pk and not new:
            return profile
        profile.save()
        audit.record(
            action="core.deputy_profile.saved", actor=actor, target=person, before=old, after=new
        )
    return profile


def expert_profile_set(*, actor: Any, person_id: int, data: dict[str, Any]) -> ExpertProfile:
    access.require(actor, "core.person.manage")
    fields = ("category", "specialties", "employer", "law_firm", "is_active")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        profile = ExpertProfile.objects.filter(person=person).first() or ExpertProfile(
            person=person
        )
        before = snapshot(profile, fields) if profile.pk else {}
        for key in fields:
            if key in data:
                setattr(profile, key, data[key])
        full_clean_or_fail(profile, exclude=["person"])
        old, new = audit.diff(before, snapshot(profile, fields))
        if profile.pk and not new:
            return profile
        profile.save()
        audit.record(
            action="core.expert_profile.saved", actor=actor, target=person, before=old, after=new
        )
    return profile


def integrity_monitor_profile_set(
    *, actor: Any, person_id: int, data: dict[str, Any]
) -> IntegrityMonitorProfile:
    access.require(actor, "core.person.manage")
    fields = ("appointed_by_id", "appointed_on", "area")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        profile = IntegrityMonitorProfile.objects.filter(
            person=person
        ).first() or IntegrityMonitorProfile(person=person)
        before = snapshot(profile, fields) if profile.pk else {}
        for key in fields:
            if key in data:
                setattr(profile, key, data[key])
        full_clean_or_fail(profile, exclude=["person"])
        old, new = audit.diff(before, snapshot(profile, fields))
        if profile.pk and not new:
            return profile
        profile.save()
        audit.record(
            action="core.integrity_monitor_profile.saved",
            actor=actor,
            target=person,
            before=old,
            after=new,
        )
    return profile
