"""Case filing (备案): the case number parsed and checked by `caseno.parse`, the court or
procuratorate, the kind of review, the parties (enterprise or not), judges or prosecutors,
lawyers and their firms. Once its batch's draw is frozen, a case is not edited any more (its
people are part of the draw's manifest)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wulian.core import access, audit
from wulian.core.access import Actor
from wulian.core.errors import TransitionNotAllowed, ValidationFailed
from wulian.core.models import Organisation
from wulian.judicial import caseno
from wulian.judicial.choices import BatchState, CaseKind
from wulian.judicial.models import Case
from wulian.judicial.parsing import ListError, parse_lawyers, parse_names, parse_parties
from wulian.judicial.policies import JUDICIAL_KINDS, congress_desk, witness_desk
from wulian.judicial.services._common import get, lock

CASE_FIELDS = (
    "number",
    "year",
    "court_code",
    "case_type",
    "case_type_code",
    "serial",
    "court_id",
    "kind",
    "cause",
    "parties",
    "involves_enterprise",
    "judges",
    "lawyers",
)


def snapshot(case: Case) -> dict[str, Any]:
    return {f: getattr(case, f) for f in CASE_FIELDS}


def _list(value: Any, parse: Any, field: str, errors: dict[str, list[str]]) -> list[Any]:
    try:
        if isinstance(value, list):
            value = "\n".join(
                v if isinstance(v, str) else _item_text(v) for v in value if v not in (None, "")
            )
        return parse(str(value or ""))
    except ListError as exc:
        errors[field] = [str(exc)]
        return []


def _item_text(item: Any) -> str:
    """One item given as an object (the API): checked, then written as the form would be."""
    from wulian.judicial.choices import PartyRole
    from wulian.judicial.parsing import format_lawyers, format_parties

    if not isinstance(item, dict):
        raise ListError(_("每一项须为一行文字，或含姓名（name）的对象"))
    texts = {k: v for k, v in item.items() if k in ("name", "firm", "party", "role")}
    if (
        any(not isinstance(v, str) for v in texts.values())
        or not str(item.get("name") or "").strip()
    ):
        raise ListError(_("每一项须有姓名（name），且 name、firm、party、role 须为文字"))
    if "firm" in item:
        if not item["firm"].strip():
            raise ListError(_("律师「%(name)s」缺少律师事务所（firm）") % {"name": item["name"]})
        return format_lawyers([item])
    if item.get("role") and item["role"] not in PartyRole.values:
        raise ListError(
            _("当事人「%(name)s」的诉讼地位（role）应为：%(choices)s")
            % {"name": item["name"], "choices": "、".join(PartyRole.values)}
        )
    return format_parties([item])


def clean_case(data: dict[str, Any], *, exclude_pk: int | None = None) -> dict[str, Any]:
    """Check a case's fields; ValidationFailed with every problem on its field."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    raw_number = str(data.get("number") or "").strip()
    parsed = None
    if not raw_number:
        errors["number"] = [_("请填写案号，例如（2023）鄂02民初123号。")]
    else:
        try:
            parsed = caseno.parse(raw_number)
        except caseno.CaseNumberError as exc:
            errors["number"] = [str(exc)]
    if parsed is not None:
        values.update(
            number=parsed.canonical,
            year=parsed.year,
            court_code=parsed.court_code,
            case_type=parsed.case_type,
            case_type_code=parsed.case_type_code,
            serial=parsed.serial,
        )
        duplicate = Case.objects.filter(number=parsed.canonical)
        if exclude_pk:
            duplicate = duplicate.exclude(pk=exclude_pk)
        if duplicate.exists():
            errors["number"] = [_("案号 %(n)s 已经备案，请勿重复备案。") % {"n": parsed.canonical}]
    court = Organisation.objects.filter(
        pk=data.get("court_id"), is_active=True, kind__in=sorted(JUDICIAL_KINDS)
    ).first()
    if court is None:
        errors["court"] = [_("请选择承办案件的法院或检察院。")]
    elif parsed is not None and parsed.authority != court.kind:
        errors["court"] = [
            _("案号是%(a)s的案号，承办单位却是%(b)s，请核对。")
            % {
                "a": _("检察院") if parsed.authority == "procuratorate" else _("法院"),
                "b": court.name,
            }
        ]
    values["court_id"] = court.pk if court else None
    kind = data.get("kind") or ""
    if kind not in CaseKind.values:
        errors["kind"] = [_("请选择评查类别（涉企审判、执行或监督）。")]
    values["kind"] = kind
    cause = str(data.get("cause") or "").strip()
    if len(cause) > 200:
        errors["cause"] = [_("案由不能超过 200 个字。")]
    values["cause"] = cause
    parties = _list(data.get("parties"), parse_parties, "parties", errors)
    if not parties and "parties" not in errors:
        errors["parties"] = [
            _("请至少填写一方当事人，每行一个，例如“黄石某某有限公司（被告，企业）”。")
        ]
    values["parties"] = parties
    values["involves_enterprise"] = any(p["enterprise"] for p in parties)
    if kind == CaseKind.ENTERPRISE_TRIAL and parties and not values["involves_enterprise"]:
        errors["parties"] = [
            _(
                "涉企审判案件须至少有一方企业当事人：在企业名称后加“（企业）”，例如“某某公司（被告，企业）”。"
            )
        ]
    judges = _list(data.get("judges"), parse_names, "judges", errors)
    if not judges and "judges" not in errors:
        errors["judges"] = [_("请至少填写一名承办法官或检察官。")]
    values["judges"] = judges
    lawyers = _list(data.get("lawyers"), parse_lawyers, "lawyers", errors)
    names = {p["name"] for p in parties}
    for lawyer in lawyers:
        if lawyer["party"] and parties and lawyer["party"] not in names:
            errors["lawyers"] = [
                _("律师“%(l)s”代理的“%(p)s”不在当事人中，请核对当事人名称。")
                % {"l": lawyer["name"], "p": lawyer["party"]}
            ]
    values["lawyers"] = lawyers
    if errors:
        raise ValidationFailed(_("案件未备案，请按提示更正。"), field_errors=errors)
    return values


def _filing_org(actor: Actor, org_id: Any) -> Organisation:
    desks = congress_desk(actor) | witness_desk(actor)
    if org_id is None and len(desks) == 1:
        org_id = next(iter(desks))
    org = Organisation.objects.filter(pk=org_id, is_active=True).first()
    if org is None or org.pk not in desks:
        message = _("请选择您任职的人大机关或派驻纪检监察组作为备案单位。")
        raise ValidationFailed(message, field_errors={"filed_by_org": [message]})
    return org


def case_file(*, actor: Actor, data: dict[str, Any]) -> Case:
    """File a case for review. `data`: number, court_id, kind, cause, parties, judges, lawyers
    (lists, or text in the forms of `wulian.judicial.parsing`), filed_by_org_id (default: the
    actor's only filing organisation)."""
    actor = access.require(actor, "judicial.case.file")
    values = clean_case(data)
    org = _filing_org(actor, data.get("filed_by_org_id"))
    with transaction.atomic():
        case = Case(**values, filed_by_org=org, filed_by=actor.user)
        try:
            with transaction.atomic():
                case.save(force_insert=True)
        except IntegrityError:
            raise ValidationFailed(
                _("案号 %(n)s 已经备案，请勿重复备案。") % {"n": values["number"]},
                field_errors={"number": [_("该案号已经备案。")]},
            ) from None
        audit.event(actor, "judicial.case.filed", case, org.pk, after=snapshot(case))
    return case


def case_update(*, actor: Actor, case_id: int, version: int, data: dict[str, Any]) -> Case:
    """Correct a filed case, while its batch has not frozen a draw."""
    case = get(Case, case_id, _("案件不存在。"))
    actor = access.require(actor, "judicial.case.view", case)
    values = clean_case(data, exclude_pk=case_id)
    with transaction.atomic():
        case = lock(Case, case_id, version, "batch")
        if case.batch_id is not None and case.batch.state != BatchState.PREPARING:
            raise TransitionNotAllowed(_("该案件所在批次已冻结抽取清单，案件信息不能再修改。"))
        access.require(actor, "judicial.case.file", case)
        before = snapshot(case)
        for key, value in values.items():
            setattr(case, key, value)
        old, new = audit.diff(before, snapshot(case))
        if not new:
            return case
        case.version += 1
        case.save(update_fields=[*values, "version", "updated_at"])
        audit.event(
            actor, "judicial.case.updated", case, case.filed_by_org_id, before=old, after=new
        )
    return case
