"""Writes to the reference data: organisations, people, memberships and profiles.

Each service is keyword-only: check access → lock → validate → save only what changed →
audit in the same transaction. A stale `version` is refused with ConcurrentEdit.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, policies
from wulian.core.access import Actor
from wulian.core.choices import ADMIN_ROLES, OrgKind, Role
from wulian.core.errors import (
    AccessDenied,
    ConcurrentEdit,
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import (
    DeputyProfile,
    ExpertProfile,
    GrantState,
    IntegrityMonitorProfile,
    Membership,
    Organisation,
    Person,
    RoleGrant,
)
from wulian.core.notifications import outbox
from wulian.core.selectors import users_holding

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


def organisation_create(*, actor: Actor, data: dict[str, Any]) -> Organisation:
    access.require(actor, "core.organisation.manage")
    org = Organisation(**{k: v for k, v in data.items() if k in ORG_FIELDS})
    full_clean_or_fail(org)
    try:
        with transaction.atomic():
            org.save(force_insert=True)
            audit.event(actor, "core.organisation.created", org, after=snapshot(org, ORG_FIELDS))
    except IntegrityError:
        # Two people created the same code at the same moment: the second is told so.
        message = _("单位代码 %(code)s 已被使用，请换一个。") % {"code": org.code}
        raise ValidationFailed(message, field_errors={"code": [message]}) from None
    return org


def organisation_update(
    *, actor: Actor, organisation_id: int, version: int, data: dict[str, Any]
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
        audit.event(actor, "core.organisation.updated", org, before=old, after=new)
    return org


def person_create(*, actor: Actor, data: dict[str, Any]) -> Person:
    access.require(actor, "core.person.manage")
    person = Person(**{k: v for k, v in data.items() if k in PERSON_FIELDS})
    full_clean_or_fail(person, exclude=["user"])
    with transaction.atomic():
        person.save(force_insert=True)
        audit.event(actor, "core.person.created", person, after=snapshot(person, PERSON_FIELDS))
    return person


def person_update(*, actor: Actor, person_id: int, version: int, data: dict[str, Any]) -> Person:
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
        audit.event(actor, "core.person.updated", person, before=old, after=new)
        if new.get("is_active") is False and person.user_id is not None:
            # A person who leaves keeps no open session (ASVS 7.4.2).
            from wulian.accounts.services import end_sessions_of

            end_sessions_of(person.user)
    return person


def _held_seats(person: Person, *, exclude_grant: int | None = None) -> list[tuple[Any, str, str]]:
    """The person's active memberships and pending grants: (record, role, organisation kind)."""
    held: list[tuple[Any, str, str]] = [
        (m, m.role, m.organisation.kind)
        for m in Membership.objects.filter(person=person, is_active=True).select_related(
            "organisation"
        )
    ]
    pending = RoleGrant.objects.filter(person=person, state=GrantState.PENDING).select_related(
        "organisation"
    )
    if exclude_grant is not None:
        pending = pending.exclude(pk=exclude_grant)
    held += [(g, g.role, g.organisation.kind) for g in pending]
    return held


def _check_grant(
    person: Person, organisation: Organisation, role: str, *, exclude_grant: int | None = None
) -> None:
    """Refuse a seat that cannot be held: an inactive person or organisation, a role outside
    the organisation kinds it belongs to, a seat already held or proposed, a second
    administrator role, or a combination `policies.INCOMPATIBLE` names."""
    if not person.is_active or not organisation.is_active:
        raise RuleViolation(_("人员或单位已停用，不能任职。"))
    kinds = policies.ROLE_KINDS.get(role)
    if kinds is not None and organisation.kind not in kinds:
        message = _("%(role)s只能在%(kinds)s任职。") % {
            "role": Role(role).label,
            "kinds": "、".join(str(OrgKind(k).label) for k in sorted(kinds)),
        }
        raise ValidationFailed(message, field_errors={"organisation": [message]})
    held = _held_seats(person, exclude_grant=exclude_grant)
    for record, held_role, _kind in held:
        if record.organisation_id == organisation.pk and held_role == role:
            raise ValidationFailed(
                _("%(name)s 已在%(org)s担任该角色（或已有待确认的授权）。")
                % {"name": person.name, "org": organisation.display_name}
            )
    if role in ADMIN_ROLES:
        for _record, held_role, _kind in held:
            if held_role in ADMIN_ROLES and held_role != role:
                raise RuleViolation(
                    _("三员分立：%(name)s 已是%(held)s，不能再担任%(role)s。")
                    % {
                        "name": person.name,
                        "held": Role(held_role).label,
                        "role": Role(role).label,
                    }
                )
    clash = policies.incompatibility(role, organisation.kind, [(r, k) for _m, r, k in held])
    if clash is not None:
        pair, (held_role, held_kind) = clash
        record = next(m for m, r, k in held if (r, k) == (held_role, held_kind))
        raise RuleViolation(
            _("%(name)s 已是%(org)s的%(held)s，不能再担任%(new_org)s的%(role)s：%(reason)s")
            % {
                "name": person.name,
                "org": record.organisation.display_name,
                "held": Role(held_role).label,
                "new_org": organisation.display_name,
                "role": Role(role).label,
                "reason": pair.reason,
            }
        )


def _require_grant(actor: Actor, grant: policies.Grant) -> access.Actor:
    """`core.membership.grant`, refused with a message that says who may grant it."""
    actor = access.as_actor(actor)
    if access.can(actor, "core.membership.grant", grant):
        return actor
    if grant.person_id is not None and grant.person_id == actor.person_id:
        raise AccessDenied(_("不能给自己授予角色，请由另一名管理员办理。"))
    raise AccessDenied(
        {
            policies.TIER_ORDINARY: _("该角色由系统管理员授予。"),
            policies.TIER_ADMIN: _("管理员角色只能由安全管理员授予（三员分立）。"),
            policies.TIER_CDI: _(
                "纪委监委一方的角色（线索管理员、纪委监委或派驻组工作人员）只能由安全管理员"
                "提出，并经纪委监委负责人或线索管理员确认后生效。"
            ),
        }[grant.tier]
    )


def _notify_grant(*, tier: str, kind: str, title: str, url: str, dedupe: str) -> None:
    """The CDI's clue officers hear of every grant and end of a CDI-side or administrator
    role: a name, a role and a link."""
    if tier not in policies.NOTIFIED_TIERS:
        return
    cdi = Organisation.objects.filter(kind=OrgKind.CDI, is_active=True).values_list("pk", flat=True)
    outbox.enqueue(
        kind=kind,
        recipients=users_holding(list(cdi), [Role.CLUE_OFFICER]),
        title=title,
        url=url,
        dedupe=dedupe,
    )


def _grant_words(person: Person, organisation: Organisation, role: str) -> dict[str, str]:
    return {"person": person.name, "org": organisation.display_name, "role": Role(role).label}


def membership_add(
    *, actor: Actor, person_id: int, organisation_id: int, role: str, post: str = ""
) -> Membership | RoleGrant:
    """Give a person a role in an organisation, by the one rule `core.membership.grant`
    (docs/adr/0014): ordinary roles by the system administrator, administrator roles by the
    security administrator (三员分立). A role of the CDI side is only proposed: the result is
    a pending `RoleGrant` that a CDI officer confirms (`role_grant_confirm`); until then it
    gives no rights."""
    if role not in Role.values:
        raise ValidationFailed(_("角色不存在。"), field_errors={"role": [_("请选择有效的角色。")]})
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise ValidationFailed(
            _("单位不存在。"), field_errors={"organisation": [_("单位不存在。")]}
        )
    grant = policies.Grant(person_id=person_id, role=role, org_kind=organisation.kind)
    actor = _require_grant(actor, grant)
    post = (post or "")[:120]
    words: dict[str, str]
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        _check_grant(person, organisation, role)
        words = _grant_words(person, organisation, role)
        after = {"organisation": organisation.code, "role": role, "post": post}
        if grant.tier in policies.CONFIRMED_TIERS:
            try:
                with transaction.atomic():
                    pending = RoleGrant.objects.create(
                        person=person,
                        organisation=organisation,
                        role=role,
                        post=post,
                        requested_by=actor.user,
                    )
            except IntegrityError:
                raise ValidationFailed(_("已有相同的待确认授权。")) from None
            audit.event(
                actor,
                "core.membership.requested",
                person,
                organisation.pk,
                after={**after, "grant": pending.pk},
            )
            _notify_grant(
                tier=grant.tier,
                kind="core.membership.requested",
                title=_("待确认授权：%(person)s 任%(org)s%(role)s") % words,
                url=reverse("core:grant_list"),
                dedupe=f"role-grant:{pending.pk}:requested",
            )
            return pending
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    person=person, organisation=organisation, role=role, post=post
                )
        except IntegrityError:
            raise RuleViolation(_("三员分立：同一人不能同时担任两个管理员角色。")) from None
        audit.event(actor, "core.membership.added", person, organisation.pk, after=after)
        _notify_grant(
            tier=grant.tier,
            kind="core.membership.added",
            title=_("授权：%(person)s 任%(org)s%(role)s") % words,
            url=reverse("core:person_detail", args=[person.pk]),
            dedupe=f"membership:{membership.pk}:added",
        )
    return membership


def _lock_pending(grant_id: int) -> RoleGrant:
    grant = (
        RoleGrant.objects.select_for_update()
        .select_related("person", "organisation")
        .filter(pk=grant_id)
        .first()
    )
    if grant is None:
        raise ValidationFailed(_("授权不存在。"))
    return grant


def _not_pending(grant: RoleGrant) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        _("该授权已“%(state)s”，不能再办理。") % {"state": grant.get_state_display()}
    )


def _decide(actor: Actor, grant: RoleGrant, state: str, **more: Any) -> None:
    """The pending grant decided (`state`) by `actor` now, with `more` (its membership, the
    reason)."""
    changes = {"state": state, "decided_by": actor.user, "decided_at": timezone.now(), **more}
    for field, value in changes.items():
        setattr(grant, field, value)
    grant.save(update_fields=list(changes))


def _grant_event(actor: Actor, grant: RoleGrant, action: str, person: Any, **more: Any) -> None:
    """The audit event of a decided grant, on the person, with `more` said."""
    audit.event(
        actor,
        action,
        person,
        grant.organisation_id,
        before={"state": GrantState.PENDING},
        after={
            "state": grant.state,
            "grant": grant.pk,
            "organisation": grant.organisation.code,
            "role": grant.role,
            **more,
        },
    )


def role_grant_confirm(*, actor: Actor, grant_id: int) -> Membership:
    """A CDI leader or clue officer — a second person, neither the proposer nor the person
    granted — confirms a CDI-side grant: the membership starts now. The combination is
    checked again (the person's seats may have changed since)."""
    with transaction.atomic():
        grant = _lock_pending(grant_id)
        actor = access.require(actor, "core.membership.confirm", grant)
        if grant.state != GrantState.PENDING:
            raise _not_pending(grant)
        person = Person.objects.select_for_update().get(pk=grant.person_id)
        _check_grant(person, grant.organisation, grant.role, exclude_grant=grant.pk)
        membership = Membership.objects.create(
            person=person, organisation=grant.organisation, role=grant.role, post=grant.post
        )
        _decide(actor, grant, GrantState.CONFIRMED, membership=membership)
        _grant_event(
            actor, grant, "core.membership.confirmed", person, requested_by=grant.requested_by_id
        )
        _notify_grant(
            tier=policies.TIER_CDI,
            kind="core.membership.confirmed",
            title=_("授权已确认：%(person)s 任%(org)s%(role)s")
            % _grant_words(person, grant.organisation, grant.role),
            url=reverse("core:person_detail", args=[person.pk]),
            dedupe=f"role-grant:{grant.pk}:confirmed",
        )
    return membership


def role_grant_refuse(*, actor: Actor, grant_id: int, reason: str) -> RoleGrant:
    """A confirmer refuses a pending grant, or the security administrator withdraws it. The
    reason is required and recorded."""
    reason = (reason or "").strip()
    if not reason:
        message = _("请填写不予确认的理由。")
        raise ValidationFailed(message, field_errors={"reason": [message]})
    with transaction.atomic():
        grant = _lock_pending(grant_id)
        actor = access.require(actor, "core.membership.refuse", grant)
        if grant.state != GrantState.PENDING:
            raise _not_pending(grant)
        _decide(actor, grant, GrantState.REFUSED, reason=reason[:500])
        _grant_event(actor, grant, "core.membership.refused", grant.person, reason=grant.reason)
        _notify_grant(
            tier=policies.TIER_CDI,
            kind="core.membership.refused",
            title=_("授权未确认：%(person)s 任%(org)s%(role)s")
            % _grant_words(grant.person, grant.organisation, grant.role),
            url=reverse("core:grant_list"),
            dedupe=f"role-grant:{grant.pk}:refused",
        )
    return grant


def membership_end(*, actor: Actor, membership_id: int) -> Membership:
    """End a membership: whoever may grant the role ends it (`core.membership.end`); ending
    needs no confirmation. Ends of CDI-side and administrator roles are told to the CDI's
    clue officers."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("person", "organisation")
            .get(pk=membership_id)
        )
        actor = access.require(actor, "core.membership.end", membership)
        if not membership.is_active:
            return membership
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        audit.event(
            actor,
            "core.membership.ended",
            membership.person,
            membership.organisation_id,
            before={"organisation": membership.organisation.code, "role": membership.role},
        )
        _notify_grant(
            tier=policies.grant_tier(membership.role, membership.organisation.kind),
            kind="core.membership.ended",
            title=_("终止任职：%(person)s 不再任%(org)s%(role)s")
            % _grant_words(membership.person, membership.organisation, membership.role),
            url=reverse("core:person_detail", args=[membership.person_id]),
            dedupe=f"membership:{membership.pk}:ended",
        )
    return membership


def cdi_confirmer_bootstrap(*, username: str, org_code: str, role: str) -> Membership:
    """The first CDI leader or clue officer of an installation, from the server's console
    (`wulian bootstrap_cdi_officer`), where nobody can confirm a grant yet. Refused as soon as
    any CDI leader or clue officer exists: from then on every CDI-side seat takes two people
    (docs/adr/0014). The combination rules apply. Audited with no actor."""
    if role not in policies.CONFIRMER_ROLES:
        raise ValidationFailed(_("只能设置纪委监委负责人或线索管理员。"))
    with transaction.atomic():
        confirmers = Membership.objects.select_for_update().filter(
            is_active=True,
            role__in=sorted(policies.CONFIRMER_ROLES),
            organisation__kind__in=sorted(policies.CONFIRMER_KINDS),
        )
        if confirmers.exists():
            raise RuleViolation(
                _("已有纪委监委负责人或线索管理员：请由安全管理员在人员页面提出，经其确认。")
            )
        person = Person.objects.select_for_update().filter(user__username=username).first()
        organisation = Organisation.objects.filter(code=org_code).first()
        if person is None or organisation is None:
            raise ValidationFailed(_("账号或单位代码不存在。"))
        if organisation.kind not in policies.CONFIRMER_KINDS:
            raise ValidationFailed(_("只能在纪委监委单位设置。"))
        _check_grant(person, organisation, role)
        membership = Membership.objects.create(person=person, organisation=organisation, role=role)
        audit.record(
            action="core.membership.bootstrapped",
            target=person,
            organisation_id=organisation.pk,
            after={"organisation": organisation.code, "role": role},
        )
    return membership


PROFILE_SAVED = {
    DeputyProfile: "core.deputy_profile.saved",
    ExpertProfile: "core.expert_profile.saved",
    IntegrityMonitorProfile: "core.integrity_monitor_profile.saved",
}


def _profile_set(
    actor: Actor, person_id: int, data: dict[str, Any], model: Any, fields: tuple[str, ...]
) -> Any:
    """A person's profile of `model` made or changed (the `fields` given in `data`): audited
    as `core.<name>_profile.saved` on the person; nothing written when nothing changed."""
    access.require(actor, "core.person.manage")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        profile = model.objects.filter(person=person).first() or model(person=person)
        before = snapshot(profile, fields) if profile.pk else {}
        for key in fields:
            if key in data:
                setattr(profile, key, data[key])
        full_clean_or_fail(profile, exclude=["person"])
        old, new = audit.diff(before, snapshot(profile, fields))
        if profile.pk and not new:
            return profile
        profile.save()
        audit.event(actor, PROFILE_SAVED[model], person, before=old, after=new)
    return profile


def deputy_profile_set(*, actor: Actor, person_id: int, data: dict[str, Any]) -> DeputyProfile:
    fields = ("certificate_no", "level", "delegation", "liaison_station_id", "term")
    return _profile_set(actor, person_id, data, DeputyProfile, fields)


def expert_profile_set(*, actor: Actor, person_id: int, data: dict[str, Any]) -> ExpertProfile:
    fields = ("category", "specialties", "employer", "law_firm", "is_active")
    return _profile_set(actor, person_id, data, ExpertProfile, fields)


def integrity_monitor_profile_set(
    *, actor: Actor, person_id: int, data: dict[str, Any]
) -> IntegrityMonitorProfile:
    fields = ("appointed_by_id", "appointed_on", "area")
    return _profile_set(actor, person_id, data, IntegrityMonitorProfile, fields)
