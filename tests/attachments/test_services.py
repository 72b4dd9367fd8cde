"""attachment_add / attachment_remove / attachment_open: the success paths (new state, exactly
one audit event) and each refusal."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.files.storage import default_storage

from tests.activities.helpers import make_activity
from tests.attachments import files
from wulian.core.activities.choices import ParticipantRole
from wulian.core.attachments import services
from wulian.core.attachments.models import Attachment
from wulian.core.choices import Sensitivity
from wulian.core.errors import AccessDenied, RuleViolation, TransitionNotAllowed, ValidationFailed
from wulian.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NAME = "关于2023年十件民生实事推进情况的调研报告（定稿）.pdf"


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def stored_files() -> list[str]:
    if not default_storage.exists("attachments"):
        return []
    found = []
    years, _ = default_storage.listdir("attachments")
    for y in years:
        months, _ = default_storage.listdir(f"attachments/{y}")
        for m in months:
            _, names = default_storage.listdir(f"attachments/{y}/{m}")
            found += names
    return found


@pytest.fixture
def activity(personas):
    return make_activity(personas)


def add(personas, activity, name=NAME, content=files.PDF, who="congress_clerk", **kw):
    return services.attachment_add(
        actor=personas.users[who], record=activity, upload=files.upload(name, content), **kw
    )


# --- Adding -----------------------------------------------------------------------------


def test_add_stores_the_file_under_a_random_name_and_keeps_the_chinese_name(personas, activity):
    att = add(personas, activity, description="调研报告")

    att.refresh_from_db()
    assert att.record == activity
    assert att.original_name == NAME
    assert att.size == len(files.PDF)
    assert att.media_type == "application/pdf"
    assert att.file_type == "pdf"
    assert att.sm3 == hashlib.new("sm3", files.PDF).hexdigest()
    assert att.uploaded_by == personas.congress_clerk
    assert att.sensitivity == Sensitivity.INTERNAL
    assert att.description == "调研报告"
    assert att.removed_at is None
    # A random name: nothing the person sent is part of the path.
    assert att.storage_name.startswith("attachments/")
    assert att.storage_name.endswith(".pdf")
    assert "调研" not in att.storage_name and ".." not in att.storage_name
    with default_storage.open(att.storage_name, "rb") as fh:
        assert fh.read() == files.PDF

    [event] = AuditEvent.objects.all()
    assert event.action == "attachments.attachment.added"
    assert (event.target_type, event.target_id) == ("activities.activity", str(activity.pk))
    assert event.before == ""
    assert event.after_data == {
        "attachment": att.pk,
        "file_name": NAME,
        "size": len(files.PDF),
        "media_type": "application/pdf",
        "sm3": att.sm3,
        "sensitivity": "internal",
        "description": "调研报告",
    }


def test_a_participating_unit_may_add_attachments(personas, activity):
    att = add(personas, activity, who="unit_a", name="市民政局汇报材料.docx", content=files.ooxml())
    assert att.uploaded_by == personas.unit_a
    assert att.file_type == "docx"


def test_the_browser_path_is_dropped_from_the_name(personas, activity):
    att = add(personas, activity, name="C:\\Users\\张三\\Desktop\\现场照片.jpg", content=files.JPEG)
    assert att.original_name == "现场照片.jpg"


def test_the_sensitivity_is_inherited_and_may_only_be_raised(personas):
    activity = make_activity(personas, sensitivity=Sensitivity.SENSITIVE)
    inherited = add(personas, activity)
    lowered = add(personas, activity, sensitivity=Sensitivity.PUBLIC)
    raised = add(personas, activity, sensitivity=Sensitivity.CONFIDENTIAL)
    assert inherited.sensitivity == Sensitivity.SENSITIVE
    assert lowered.sensitivity == Sensitivity.SENSITIVE
    assert raised.sensitivity == Sensitivity.CONFIDENTIAL


def _refused(personas, activity, exc_type, **kw):
    with pytest.raises(exc_type) as exc:
        add(personas, activity, **kw)
    assert not Attachment.objects.exists()
    assert not AuditEvent.objects.exists()
    assert stored_files() == []
    return exc.value


@pytest.mark.parametrize("who", ["unit_b", "court_clerk", "deputy", "sysadmin", "cdi_officer"])
def test_others_may_not_add(personas, activity, who):
    _refused(personas, activity, AccessDenied, who=who)


def test_too_big_is_refused(personas, activity, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    exc = _refused(
        personas, activity, ValidationFailed, content=files.PDF + b"%" * 2000, name="大文件.pdf"
    )
    assert "超过上限" in exc.message and "大文件.pdf" in exc.message
    assert exc.field_errors == {"file": [exc.message]}


def test_empty_is_refused(personas, activity):
    exc = _refused(personas, activity, ValidationFailed, content=b"")
    assert "空文件" in exc.message


def test_a_type_outside_the_list_is_refused(personas, activity):
    exc = _refused(personas, activity, ValidationFailed, name="工具.exe", content=b"MZ\x90\x00")
    assert "不支持 .exe 文件" in exc.message


def test_an_extension_that_disagrees_with_the_content_is_refused(personas, activity):
    exc = _refused(personas, activity, ValidationFailed, name="会议纪要.docx", content=files.PDF)
    assert exc.message == (
        "文件「会议纪要.docx」的扩展名是 .docx，但内容是PDF 文档。请确认选对了文件；"
        "如文件无误，请把扩展名改为 .pdf 后重新上传。"
    )


def test_the_browser_content_type_is_not_trusted(personas, activity):
    upload = files.upload("照片.png", files.PDF, content_type="image/png")
    with pytest.raises(ValidationFailed):
        services.attachment_add(actor=personas.congress_clerk, record=activity, upload=upload)


def test_a_zip_bomb_is_refused(personas, activity, settings):
    settings.ATTACHMENT_ZIP_MAX_MEMBERS = 100
    exc = _refused(
        personas, activity, ValidationFailed, name="纪要.docx", content=files.zip_bomb_members(101)
    )
    assert "解压后过大或包含的部件过多" in exc.message
    exc = _refused(
        personas,
        activity,
        ValidationFailed,
        name="纪要.docx",
        content=files.zip_declaring(4_000_000_000),
    )
    assert "解压后过大" in exc.message


def test_a_description_too_long_is_refused(personas, activity):
    exc = _refused(personas, activity, ValidationFailed, description="长" * 201)
    assert "description" in exc.field_errors


def test_a_record_type_without_an_attach_rule_falls_back_to_view_and_owning_unit(personas):
    """Organisations have a view rule but no attach rule and no owning organisation: nobody
    may attach to them (deny by default)."""
    org = personas.orgs["unit_a"]
    for who in ("unit_a", "congress_clerk", "sysadmin"):
        with pytest.raises(AccessDenied):
            services.attachment_add(
                actor=personas.users[who], record=org, upload=files.upload("a.pdf", files.PDF)
            )


def test_when_the_database_write_fails_the_stored_file_is_deleted(personas, activity, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(services.audit, "record", boom)
    with pytest.raises(RuntimeError):
        add(personas, activity)
    assert not Attachment.objects.exists()
    assert stored_files() == []


# --- Copying onto another record ------------------------------------------------------------


@pytest.fixture
def other_activity(personas):
    """Organised by the congress body with unit B (unit A does not take part)."""
    return make_activity(
        personas,
        title="老旧小区改造调研",
        participants=(("unit_b", ParticipantRole.PARTICIPANT),),
    )


def test_copy_gives_the_other_record_its_own_file_with_the_same_content(
    personas, activity, other_activity
):
    att = add(personas, activity, description="调研报告")
    copy = services.attachment_copy(
        actor=personas.congress_clerk, attachment_id=att.pk, record=other_activity
    )

    copy.refresh_from_db()
    assert copy.record == other_activity
    assert (copy.original_name, copy.size, copy.media_type, copy.file_type, copy.sm3) == (
        att.original_name,
        att.size,
        att.media_type,
        att.file_type,
        att.sm3,
    )
    assert copy.description == "调研报告"
    assert copy.uploaded_by == personas.congress_clerk
    # The storage is not keyed by content: the copy owns a file of its own.
    assert copy.storage_name != att.storage_name
    assert copy.storage_name.endswith(".pdf")
    assert len(stored_files()) == 2
    with default_storage.open(copy.storage_name, "rb") as fh:
        assert fh.read() == files.PDF
    [event] = events("attachments.attachment.copied")
    assert (event.target_type, event.target_id) == ("activities.activity", str(other_activity.pk))
    assert event.after_data["attachment"] == copy.pk
    assert event.after_data["copied_from"] == att.pk
    assert event.after_data["sm3"] == att.sm3
    # The original is untouched, and each is seen through its own record.
    assert Attachment.objects.get(pk=att.pk).record == activity
    services.attachment_open(actor=personas.unit_b, attachment_id=copy.pk)[1].close()
    with pytest.raises(AccessDenied):
        services.attachment_open(actor=personas.unit_b, attachment_id=att.pk)


def test_the_copy_takes_the_stricter_sensitivity(personas, activity):
    att = add(personas, activity)
    secret = make_activity(personas, sensitivity=Sensitivity.SENSITIVE)
    copy = services.attachment_copy(
        actor=personas.congress_clerk, attachment_id=att.pk, record=secret
    )
    assert copy.sensitivity == Sensitivity.SENSITIVE


def _copy_refused(personas, att, record, exc_type, who="congress_clerk"):
    before = set(stored_files())
    with pytest.raises(exc_type):
        services.attachment_copy(actor=personas.users[who], attachment_id=att.pk, record=record)
    assert Attachment.objects.filter(object_id=record.pk).exclude(pk=att.pk).count() == 0
    assert not events("attachments.attachment.copied")
    assert set(stored_files()) == before


def test_copy_needs_to_see_the_original(personas, activity, other_activity):
    att = add(personas, activity)
    # Unit B may attach to the other activity but does not see the first.
    _copy_refused(personas, att, other_activity, AccessDenied, who="unit_b")


def test_copy_needs_to_be_allowed_to_attach_to_the_record(personas, activity, other_activity):
    att = add(personas, activity)
    # Unit A sees the first activity but does not take part in the other.
    _copy_refused(personas, att, other_activity, AccessDenied, who="unit_a")


def test_a_removed_attachment_is_not_copied(personas, activity, other_activity):
    att = add(personas, activity)
    services.attachment_remove(actor=personas.congress_clerk, attachment_id=att.pk, reason="错")
    _copy_refused(personas, att, other_activity, TransitionNotAllowed)


def test_a_stored_file_that_no_longer_matches_its_digest_is_not_copied(
    personas, activity, other_activity
):
    att = add(personas, activity)
    with default_storage.open(att.storage_name, "wb") as fh:
        fh.write(files.PDF.replace(b"Catalog", b"Katalog"))
    _copy_refused(personas, att, other_activity, RuleViolation)


def test_when_the_copys_database_write_fails_its_file_is_deleted(
    personas, activity, other_activity, monkeypatch
):
    att = add(personas, activity)

    def boom(**kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(services.audit, "record", boom)
    _copy_refused(personas, att, other_activity, RuntimeError)


# --- Removing -------------------------------------------------------------------------------


def test_remove_keeps_the_row_and_the_file_and_records_the_reason(personas, activity):
    att = add(personas, activity)
    seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()

    services.attachment_remove(
        actor=personas.congress_clerk, attachment_id=att.pk, reason="上传错了版本"
    )

    att.refresh_from_db()
    assert att.removed_at is not None
    assert att.removed_by == personas.congress_clerk
    assert att.removal_reason == "上传错了版本"
    assert default_storage.exists(att.storage_name)  # never silently lost
    [event] = AuditEvent.objects.filter(seq__gt=seq)
    assert event.action == "attachments.attachment.removed"
    assert event.target_id == str(activity.pk)
    assert json.loads(event.before) == {"attachment": att.pk, "file_name": NAME, "removed": False}
    assert event.after_data == {"attachment": att.pk, "removed": True, "reason": "上传错了版本"}


def test_the_uploader_may_remove_their_own(personas, activity):
    att = add(personas, activity, who="unit_a")
    services.attachment_remove(actor=personas.unit_a, attachment_id=att.pk, reason="重复上传")
    assert Attachment.objects.get(pk=att.pk).is_removed


def test_the_organiser_may_remove_a_participants_attachment(personas, activity):
    att = add(personas, activity, who="unit_a")
    services.attachment_remove(actor=personas.congress_clerk, attachment_id=att.pk, reason="错传")
    assert Attachment.objects.get(pk=att.pk).is_removed


@pytest.mark.parametrize("who", ["unit_a", "stationed", "unit_b", "cdi_officer"])
def test_others_may_not_remove(personas, activity, who):
    """unit_a and the stationed group may add, but not remove what someone else uploaded."""
    att = add(personas, activity)
    count = AuditEvent.objects.count()
    with pytest.raises(AccessDenied):
        services.attachment_remove(actor=personas.users[who], attachment_id=att.pk, reason="x")
    assert not Attachment.objects.get(pk=att.pk).is_removed
    assert AuditEvent.objects.count() == count


@pytest.mark.parametrize("reason", ["", "   ", "长" * 501])
def test_remove_needs_a_reason(personas, activity, reason):
    att = add(personas, activity)
    with pytest.raises(ValidationFailed) as exc:
        services.attachment_remove(
            actor=personas.congress_clerk, attachment_id=att.pk, reason=reason
        )
    assert "reason" in exc.value.field_errors
    assert not Attachment.objects.get(pk=att.pk).is_removed


def test_removing_twice_is_refused(personas, activity):
    att = add(personas, activity)
    services.attachment_remove(actor=personas.congress_clerk, attachment_id=att.pk, reason="错")
    with pytest.raises(TransitionNotAllowed):
        services.attachment_remove(actor=personas.congress_clerk, attachment_id=att.pk, reason="再")
    assert len(events("attachments.attachment.removed")) == 1


# --- Opening for download -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "audited"),
    [
        (Sensitivity.PUBLIC, False),
        (Sensitivity.INTERNAL, False),
        (Sensitivity.SENSITIVE, True),
        (Sensitivity.CONFIDENTIAL, True),
    ],
)
def test_opening_is_audited_for_sensitive_and_confidential_records(personas, level, audited):
    activity = make_activity(personas, sensitivity=level)
    att = add(personas, activity)
    _att, fh = services.attachment_open(actor=personas.stationed, attachment_id=att.pk)
    with fh:
        assert fh.read() == files.PDF
    downloads = events("attachments.attachment.downloaded")
    assert len(downloads) == (1 if audited else 0)
    if audited:
        assert downloads[0].actor_id == personas.stationed.pk
        assert downloads[0].after_data == {
            "attachment": att.pk,
            "file_name": NAME,
            "sensitivity": level,
        }


def test_an_attachment_marked_confidential_is_audited_on_an_internal_record(personas, activity):
    att = add(personas, activity, sensitivity=Sensitivity.CONFIDENTIAL)
    services.attachment_open(actor=personas.congress_clerk, attachment_id=att.pk)[1].close()
    assert len(events("attachments.attachment.downloaded")) == 1


def test_raising_the_records_sensitivity_later_makes_downloads_audited(personas, activity):
    att = add(personas, activity)
    activity.sensitivity = Sensitivity.CONFIDENTIAL
    activity.save(update_fields=["sensitivity"])
    services.attachment_open(actor=personas.congress_clerk, attachment_id=att.pk)[1].close()
    assert len(events("attachments.attachment.downloaded")) == 1


def test_opening_needs_the_records_view_rule(personas, activity):
    att = add(personas, activity)
    with pytest.raises(AccessDenied):
        services.attachment_open(actor=personas.unit_b, attachment_id=att.pk)
    assert not events("attachments.attachment.downloaded")


def test_a_removed_attachment_is_not_opened(personas, activity):
    att = add(personas, activity)
    services.attachment_remove(actor=personas.congress_clerk, attachment_id=att.pk, reason="错")
    with pytest.raises(services.AttachmentGone):
        services.attachment_open(actor=personas.congress_clerk, attachment_id=att.pk)
