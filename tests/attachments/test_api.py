"""Attachments through the API (issue 12): upload as multipart to a record, read, download and
remove with a reason — the same services, checks and limits as the record page's panel. A
record or an attachment the caller may not see is a 404."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.activities.helpers import make_activity
from tests.attachments import files
from tests.personas import PERSONA_NAMES
from tests.route_cases import ATTACHERS
from wulian.core.attachments.models import Attachment

pytestmark = pytest.mark.django_db


def _upload(client, activity, name="市民政局汇报.docx", content=None):
    return client.post(
        reverse("attachments_api:attachment-upload"),
        {
            "record_type": "activities.activity",
            "record_id": activity.pk,
            "file": files.upload(name, content or files.ooxml()),
            "description": "汇报材料",
        },
    )


def test_upload_read_download_and_remove_through_the_api(personas, client_of):
    activity = make_activity(personas)
    client = client_of(personas.congress_clerk)
    made = _upload(client, activity)
    assert made.status_code == 201, made.content
    body = made.json()
    assert (
        body["original_name"] == "市民政局汇报.docx"
        and body["record_type"] == "activities.activity"
    )
    att = Attachment.objects.get(pk=body["id"])
    assert att.record == activity
    read = client.get(reverse("attachments_api:attachments-detail", args=[att.pk]))
    assert read.status_code == 200 and read.json()["sm3"] == att.sm3
    download = client.get(body["file_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == files.ooxml()
    removed = client.post(
        reverse("attachments_api:attachments-remove", args=[att.pk]),
        json.dumps({"reason": "版本有误"}),
        content_type="application/json",
    )
    assert removed.status_code == 200 and removed.json()["removal_reason"] == "版本有误"
    assert client.get(body["file_url"]).status_code == 410


def test_a_file_whose_content_is_not_its_name_is_refused_with_the_panels_words(personas, client_of):
    activity = make_activity(personas)
    answer = _upload(client_of(personas.congress_clerk), activity, "纪要.docx", files.PDF)
    assert answer.status_code == 400
    assert "PDF" in answer.json()["detail"]
    assert not Attachment.objects.exists()


def test_each_persona_uploads_only_where_the_panel_lets_it(personas, client_of):
    activity = make_activity(personas)
    for name in PERSONA_NAMES:
        answer = _upload(client_of(personas.users[name]), activity)
        if name in ATTACHERS:
            assert answer.status_code == 201, (name, answer.content)
        else:
            assert answer.status_code in (403, 404), (name, answer.status_code)


def test_a_record_the_caller_may_not_see_cannot_be_told_from_a_missing_one(personas, client_of):
    activity = make_activity(personas)
    client = client_of(personas.unit_b)
    real = _upload(client, activity)
    missing = client.post(
        reverse("attachments_api:attachment-upload"),
        {
            "record_type": "activities.activity",
            "record_id": activity.pk + 1000,
            "file": files.upload("a.docx", files.ooxml()),
        },
    )
    assert real.status_code == missing.status_code
