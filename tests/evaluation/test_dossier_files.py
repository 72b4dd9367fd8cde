"""The dossier's files (wulian.core.attachments on the CDI's dossier items): confidential as the
dossier is — the team and the CDI see and download them, each download audited; the department
(and everyone else outside) finds no trace through any door: the evaluation page and its trail,
the dossier page, the download URL, the API (the evaluation, the dossier, the attachment and its
file, the upload), and the exports it may take (the 评议意见书, the rectification ledger)."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tests.evaluation import helpers as h
from tests.personas import client_for
from wulian.core.access import actor_for
from wulian.core.attachments.models import Attachment
from wulian.core.choices import Sensitivity
from wulian.core.errors import AccessDenied, TransitionNotAllowed, ValidationFailed
from wulian.core.models import AuditEvent
from wulian.evaluation import services
from wulian.evaluation.models import DossierItem

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_media")]

NAME = "巡察反馈意见书-民政局.txt"
BODY = "巡察组反馈：低保审核把关不严。".encode()
INSIDE = ("congress_clerk", "cdi_officer", "cdi_clue", "stationed")
OUTSIDE = ("unit_a", "unit_b", "gov_supervisor", "deputy", "sysadmin")


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(h.T0, tick=False):
        yield


def _with_file(personas):
    e = h.with_dossier(personas, h.create(personas))
    item = e.dossier.get()
    response = client_for(personas.cdi_officer).post(
        f"/evaluation/{e.pk}/dossier-attach/",
        {"item": item.pk, "upload": SimpleUploadedFile(NAME, BODY, "text/plain")},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"].endswith(f"/evaluation/{e.pk}/dossier/#item-{item.pk}")
    return e, item, Attachment.objects.get()


def test_the_cdi_attaches_a_file_confidential_and_audited(personas):
    e, item, att = _with_file(personas)
    assert att.record == item and att.sensitivity == Sensitivity.CONFIDENTIAL
    (added,) = AuditEvent.objects.filter(action="attachments.attachment.added")
    assert added.target_type == "evaluation.dossieritem"
    assert added.organisation_id_at_time == personas.orgs["cdi"].pk  # never the department's
    for who in INSIDE:
        client = client_for(personas.users[who])
        assert NAME in client.get(f"/evaluation/{e.pk}/dossier/").content.decode()
        download = client.get(f"/attachments/{att.pk}/download/")
        assert download.status_code == 200 and b"".join(download.streaming_content) == BODY
        api = client.get(f"/api/v1/evaluations/{e.pk}/dossier/").json()
        assert api[0]["attachments"][0]["original_name"] == NAME
    downloads = AuditEvent.objects.filter(action="attachments.attachment.downloaded")
    assert downloads.count() == len(INSIDE)


@pytest.mark.parametrize("who", OUTSIDE)
def test_no_door_shows_the_department_a_trace(personas, who):
    e, item, att = _with_file(personas)
    client = client_for(personas.users[who])
    marks = (NAME, "巡察反馈", "低保审核", str(att.sm3))
    page = client.get(e.get_absolute_url())
    if page.status_code == 200:
        text = page.content.decode()
        assert not any(m in text for m in marks)
        assert "评议参考材料" not in text
    assert client.get(f"/evaluation/{e.pk}/dossier/").status_code in (403, 404)
    assert client.get(f"/attachments/{att.pk}/download/").status_code in (403, 404)
    assert client.get(f"/api/v1/attachments/{att.pk}/").status_code in (403, 404)
    assert client.get(f"/api/v1/attachments/{att.pk}/file/").status_code in (403, 404)
    assert client.get(f"/api/v1/evaluations/{e.pk}/dossier/").status_code in (403, 404)
    detail = client.get(f"/api/v1/evaluations/{e.pk}/")
    assert not any(m in detail.content.decode() for m in marks)
    listing = client.get("/api/v1/evaluations/").content.decode()
    assert not any(m in listing for m in marks)
    upload = client.post(
        "/api/v1/attachments/",
        {
            "record_type": "evaluation.dossieritem",
            "record_id": item.pk,
            "file": SimpleUploadedFile("x.txt", b"x", "text/plain"),
        },
    )
    assert upload.status_code in (403, 404)
    step = client.post(
        f"/evaluation/{e.pk}/dossier-attach/",
        {"item": item.pk, "upload": SimpleUploadedFile("x.txt", b"x", "text/plain")},
    )
    assert step.status_code in (403, 404)
    assert Attachment.objects.count() == 1
    assert not AuditEvent.objects.filter(action="attachments.attachment.downloaded").exists()


def test_the_departments_exports_carry_no_trace(personas):
    e, _item, _att = _with_file(personas)
    unit = client_for(personas.unit_a)
    docx = unit.get(f"/evaluation/{e.pk}/opinion.docx")
    assert docx.status_code == 200 and NAME.encode() not in docx.content
    ledger = unit.get("/rectification/export.xlsx")
    if ledger.status_code == 200 and ledger["Content-Type"].startswith("application/vnd"):
        book = load_workbook(io.BytesIO(ledger.content))
        cells = " ".join(
            str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
        )
        assert NAME not in cells and "巡察反馈" not in cells


def test_attach_refusals(personas):
    e = h.with_dossier(personas, h.create(personas))
    other = h.with_dossier(personas, h.create(personas, department="unit_b"))
    foreign = other.dossier.get()
    cdi = actor_for(personas.cdi_officer)

    def upload(content=BODY):
        return SimpleUploadedFile(NAME, content, "text/plain")

    with pytest.raises(ValidationFailed, match="不属于本评议"):
        services.dossier_attach(actor=cdi, evaluation_id=e.pk, item_id=foreign.pk, upload=upload())
    item = e.dossier.get()
    with pytest.raises(ValidationFailed, match="空文件"):
        services.dossier_attach(actor=cdi, evaluation_id=e.pk, item_id=item.pk, upload=upload(b""))
    with pytest.raises(AccessDenied):
        services.dossier_attach(
            actor=actor_for(personas.unit_a), evaluation_id=e.pk, item_id=item.pk, upload=upload()
        )
    assert not Attachment.objects.exists()
    # Refused on the page: the dossier page again, with the message at the field.
    response = client_for(personas.cdi_officer).post(
        f"/evaluation/{e.pk}/dossier-attach/", {"item": foreign.pk, "upload": upload()}
    )
    assert response.status_code == 400 and "不属于本评议" in response.content.decode()


def test_no_files_once_the_opinion_is_sent(personas):
    e = h.to_voting(personas)
    clerk = actor_for(personas.congress_clerk)
    poll = h.certify(personas, h.certified_poll(personas, [["satisfied"] * 5]))
    e = services.vote_record(actor=clerk, evaluation_id=e.pk, version=e.version, poll_id=poll.pk)
    services.opinion_send(
        actor=clerk, evaluation_id=e.pk, version=e.version, opinion="总体较好，请继续改进工作。"
    )
    item = DossierItem.objects.get(evaluation=e)
    with pytest.raises(TransitionNotAllowed):
        services.dossier_attach(
            actor=actor_for(personas.cdi_officer),
            evaluation_id=e.pk,
            item_id=item.pk,
            upload=SimpleUploadedFile(NAME, BODY, "text/plain"),
        )
