"""The attachments panel, upload, remove and download through the web interface."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.activities.helpers import make_activity
from tests.attachments import files
from wulian.core.attachments import services
from wulian.core.attachments.models import Attachment
from wulian.core.choices import Sensitivity
from wulian.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NAME = "关于2023年十件民生实事推进情况的调研报告（定稿）.pdf"


def add(personas, record, name=NAME, content=files.PDF, who="congress_clerk", **kw):
    return services.attachment_add(
        actor=personas.users[who], record=record, upload=files.upload(name, content), **kw
    )


def download(client_of, user, att):
    return client_of(user).get(reverse("attachments:download", args=[att.pk]))


def filename_star(response) -> str:
    match = re.search(r"filename\*=UTF-8''([^;]+)", response["Content-Disposition"])
    assert match, response["Content-Disposition"]
    return unquote(match.group(1))


def test_download_sends_the_file_with_safe_headers(personas, client_of):
    activity = make_activity(personas)
    att = add(personas, activity)
    response = download(client_of, personas.unit_a, att)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(files.PDF))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith("attachment; ")


def test_the_chinese_file_name_round_trips_in_content_disposition(personas, client_of):
    activity = make_activity(personas)
    att = add(personas, activity)
    response = download(client_of, personas.congress_clerk, att)
    disposition = response["Content-Disposition"]
    assert disposition.isascii()
    assert filename_star(response) == NAME
    # Old clients get a plain ASCII name with the right extension.
    assert f'filename="attachment-{att.pk}.pdf"' in disposition


def test_a_plain_ascii_name_is_sent_as_is(personas, client_of):
    activity = make_activity(personas)
    att = add(personas, activity, name="minutes-2023.pdf")
    response = download(client_of, personas.congress_clerk, att)
    assert 'filename="minutes-2023.pdf"' in response["Content-Disposition"]
    assert filename_star(response) == "minutes-2023.pdf"


def test_text_is_sent_with_its_charset(personas, client_of):
    activity = make_activity(personas)
    att = add(personas, activity, name="名单.csv", content="姓名\n张三\n".encode("gb18030"))
    response = download(client_of, personas.congress_clerk, att)
    assert response["Content-Type"] == "text/csv; charset=gb18030"


def test_downloading_a_confidential_records_attachment_is_audited(personas, client_of):
    activity = make_activity(personas, sensitivity=Sensitivity.CONFIDENTIAL)
    att = add(personas, activity)
    response = download(client_of, personas.stationed, att)
    assert response.status_code == 200
    [event] = AuditEvent.objects.filter(action="attachments.attachment.downloaded")
    assert event.actor_id == personas.stationed.pk
    assert (event.target_type, event.target_id) == ("activities.activity", str(activity.pk))
    assert event.after_data["attachment"] == att.pk
    assert event.request_id  # bound by the request middleware


def test_downloading_an_internal_records_attachment_is_not_audited(personas, client_of):
    activity = make_activity(personas, sensitivity=Sensitivity.INTERNAL)
    att = add(personas, activity)
    assert download(client_of, personas.stationed, att).status_code == 200
    assert not AuditEvent.objects.filter(action="attachments.attachment.downloaded").exists()


def test_a_person_of_unit_b_cannot_download_unit_as_attachment(personas, client_of):
    # Unit A's own activity (a 座谈会 it organised) with its own attachment.
    activity = make_activity(personas, organiser="unit_a", participants=())
    att = add(personas, activity, who="unit_a")  # unit_a's liaison may attach to its own
    assert download(client_of, personas.unit_a, att).status_code == 200
    response = download(client_of, personas.unit_b, att)
    assert response.status_code == 403
    assert b"%PDF" not in response.content


def test_signed_out_people_are_sent_to_sign_in(personas, client):
    activity = make_activity(personas)
    att = add(personas, activity)
    response = client.get(reverse("attachments:download", args=[att.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_attachment_is_404(personas, client_of):
    assert (
        client_of(personas.congress_clerk).get("/attachments/999999/download/").status_code == 404
    )


def test_a_removed_attachment_is_gone(personas, client_of):
    activity = make_activity(personas)
    att = add(personas, activity)
    services.attachment_remove(actor=personas.congress_clerk, attachment_id=att.pk, reason="错")
    response = download(client_of, personas.congress_clerk, att)
    assert response.status_code == 410
    assert "已被移除" in response.content.decode()


def test_a_missing_stored_file_is_reported_not_hidden(personas, client_of):
    from django.core.files.storage import default_storage

    activity = make_activity(personas)
    att = add(personas, activity)
    default_storage.delete(att.storage_name)
    response = download(client_of, personas.congress_clerk, att)
    assert response.status_code == 500
    assert "缺失" in response.content.decode()


# --- Upload and remove through the panel ------------------------------------------------------


def test_upload_through_the_panel(personas, client_of):
    activity = make_activity(personas)
    page = activity.get_absolute_url()
    response = client_of(personas.unit_a).post(
        reverse("attachments:upload", args=["activities.activity", activity.pk]),
        {"file": files.upload("市民政局汇报.docx", files.ooxml()), "next": page},
    )
    assert response.status_code == 302
    assert response["Location"] == page + "#attachments"
    att = Attachment.objects.get()
    assert att.original_name == "市民政局汇报.docx"
    assert att.record == activity


def test_a_refused_upload_says_why_on_the_record_page(personas, client_of):
    activity = make_activity(personas)
    client = client_of(personas.congress_clerk)
    response = client.post(
        reverse("attachments:upload", args=["activities.activity", activity.pk]),
        {"file": files.upload("纪要.docx", files.PDF), "next": activity.get_absolute_url()},
        follow=True,
    )
    assert response.status_code == 200
    assert "但内容是PDF 文档" in response.content.decode()
    assert not Attachment.objects.exists()


def test_upload_without_a_file_says_so(personas, client_of):
    activity = make_activity(personas)
    response = client_of(personas.congress_clerk).post(
        reverse("attachments:upload", args=["activities.activity", activity.pk]), follow=True
    )
    assert "请选择要上传的文件" in response.content.decode()


def test_upload_refuses_a_foreign_next_url(personas, client_of):
    activity = make_activity(personas)
    response = client_of(personas.congress_clerk).post(
        reverse("attachments:upload", args=["activities.activity", activity.pk]),
        {"file": files.upload("a.pdf", files.PDF), "next": "https://evil.example/"},
    )
    assert response["Location"] == activity.get_absolute_url() + "#attachments"


@pytest.mark.parametrize(
    "record_type", ["attachments.attachment", "core.auditevent", "nope.nothing", "accounts.user"]
)
def test_upload_to_a_record_type_without_a_view_rule_is_404(personas, client_of, record_type):
    response = client_of(personas.congress_clerk).post(
        reverse("attachments:upload", args=[record_type, 1]),
        {"file": files.upload("a.pdf", files.PDF)},
    )
    assert response.status_code == 404


def test_upload_by_someone_who_may_not_is_403(personas, client_of):
    activity = make_activity(personas)
    response = client_of(personas.unit_b).post(
        reverse("attachments:upload", args=["activities.activity", activity.pk]),
        {"file": files.upload("a.pdf", files.PDF)},
    )
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_remove_through_the_panel(personas, client_of):
    activity = make_activity(personas)
    att = add(personas, activity)
    response = client_of(personas.congress_clerk).post(
        reverse("attachments:remove", args=[att.pk]), {"reason": "版本有误"}
    )
    assert response.status_code == 302
    att.refresh_from_db()
    assert att.removal_reason == "版本有误"


def test_the_panel_lists_attachments_and_the_removed_ones(personas, client_of):
    activity = make_activity(personas)
    kept = add(personas, activity)
    gone = add(personas, activity, name="旧版.pdf")
    services.attachment_remove(actor=personas.congress_clerk, attachment_id=gone.pk, reason="作废")
    html = client_of(personas.unit_a).get(activity.get_absolute_url()).content.decode()
    assert NAME in html
    assert reverse("attachments:download", args=[kept.pk]) in html
    assert reverse("attachments:download", args=[gone.pk]) not in html
    assert "旧版.pdf" in html and "作废" in html  # listed as removed, with the reason
    assert 'enctype="multipart/form-data"' in html  # unit_a participates: may upload
    assert reverse("attachments:remove", args=[kept.pk]) not in html  # but not remove it


def test_the_panel_has_no_upload_form_for_readers(personas, client_of):
    activity = make_activity(personas)
    html = client_of(personas.cdi_officer).get(activity.get_absolute_url()).content.decode()
    assert 'id="attachments"' in html
    assert 'enctype="multipart/form-data"' not in html


def test_the_panel_costs_the_same_queries_for_1_and_20_attachments(personas, client_of):
    from django.template import Context, Template
    from django.test import RequestFactory

    from wulian.core.access import actor_for

    activity = make_activity(personas)
    template = Template("{% load attachment_tags %}{% attachments_panel record %}")
    request = RequestFactory().get(activity.get_absolute_url())
    request.user = personas.congress_clerk
    actor_for(request.user)  # the actor is loaded once per request, before the panel

    def render() -> int:
        with CaptureQueriesContext(connection) as ctx:
            template.render(Context({"request": request, "record": activity}))
        return len(ctx.captured_queries)

    add(personas, activity)
    one = render()
    for i in range(19):
        add(personas, activity, name=f"材料{i}.pdf", who="unit_a" if i % 2 else "congress_clerk")
    assert render() == one
