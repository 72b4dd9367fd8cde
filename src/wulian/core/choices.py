"""Choice sets of the core. Each has a Chinese label (translated to English in `locale/en`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    CONGRESS = "congress", _("人大常委会")
    CONGRESS_BODY = "congress_body", _("人大工作机构")
    CDI = "cdi", _("纪委监委")
    STATIONED_GROUP = "stationed_group", _("派驻纪检监察组")
    GOVERNMENT = "government", _("人民政府")
    GOV_SUPERVISION_OFFICE = "gov_supervision_office", _("政务督查室")
    HANDLING_UNIT = "handling_unit", _("承办单位")
    COURT = "court", _("人民法院")
    PROCURATORATE = "procuratorate", _("人民检察院")
    LIAISON_STATION = "liaison_station", _("代表联络站")
    OTHER = "other", _("其他")


# Organisation kinds whose staff supervise (as opposed to being supervised).
CONGRESS_SIDE = frozenset({OrgKind.CONGRESS, OrgKind.CONGRESS_BODY})
CDI_SIDE = frozenset({OrgKind.CDI, OrgKind.STATIONED_GROUP})


class Role(models.TextChoices):
    STAFF = "staff", _("工作人员")
    LEADER = "leader", _("负责人")
    CLUE_OFFICER = "clue_officer", _("线索管理员")
    LIAISON = "liaison", _("联络员")
    DEPUTY = "deputy", _("人大代表")
    EXPERT = "expert", _("评查专家")
    INTEGRITY_MONITOR = "integrity_monitor", _("清廉监督员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


# 三员分立: no person holds two of these (enforced by a partial unique index and the service).
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# Roles that act for an organisation (desk work), as opposed to deputies and experts.
OFFICE_ROLES = frozenset({Role.STAFF, Role.LEADER, Role.CLUE_OFFICER, Role.LIAISON})


class Sensitivity(models.TextChoices):
    PUBLIC = "public", _("公开")
    INTERNAL = "internal", _("内部")
    SENSITIVE = "sensitive", _("敏感")
    CONFIDENTIAL = "confidential", _("机密")


class DeputyLevel(models.TextChoices):
    NATIONAL = "national", _("全国人大代表")
    PROVINCIAL = "provincial", _("省人大代表")
    MUNICIPAL = "municipal", _("市人大代表")
    COUNTY = "county", _("县（区）人大代表")
    TOWNSHIP = "township", _("乡镇人大代表")


class ExpertCategory(models.TextChoices):
    DEPUTY = "deputy", _("人大代表")
    LAWYER = "lawyer", _("律师")
    PROFESSOR = "professor", _("高校教授")
    OTHER = "other", _("其他")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")
    UNSTATED = "", _("未填写")
