"""Text input hygiene in one place (wulian.core.text): NFC, no bidi controls, no invisible-only
text — on a page form, an API serializer, an import and an attachment's file name."""

from __future__ import annotations

import unicodedata

import pytest
from django.urls import reverse

from tests.activities.helpers import make_activity
from tests.attachments import files
from wulian.core import text
from wulian.core.attachments import services as attachments
from wulian.core.errors import ValidationFailed
from wulian.core.models import Organisation

pytestmark = pytest.mark.django_db

ZERO_WIDTH_ONLY = "\u200b\u200c\u200d\ufeff\u2060"
RLO = "\u202e"
DECOMPOSED = "Cafe\u0301 市教育局"  # "e" + combining acute: NFC makes it "é"


@pytest.mark.parametrize("value", [ZERO_WIDTH_ONLY, " \u200b ", "\u202e\u202c", "\u2066\u2069"])
def test_invisible_only_text_is_refused(value):
    with pytest.raises(text.InvisibleText):
        text.clean(value)


def test_clean_normalises_and_drops_bidi_controls():
    assert text.clean(DECOMPOSED) == unicodedata.normalize("NFC", DECOMPOSED)
    assert text.clean(f"报告{RLO}xcod.exe") == "报告xcod.exe"
    assert text.clean("\u200e市\u2067教育\u2069局\u200f") == "市教育局"


def _org_form(**over):
    data = {"code": "ZF-JY", "name": "市教育局", "kind": "handling_unit", "sort_order": "3"}
    data.update(over)
    return data


def test_a_page_form_refuses_an_invisible_name_with_a_message(personas, client_of):
    client = client_of(personas.sysadmin)
    response = client.post(reverse("core:organisation_create"), _org_form(name=ZERO_WIDTH_ONLY))
    assert response.status_code in (200, 400)
    assert "不可见的字符" in response.content.decode()
    assert not Organisation.objects.filter(code="ZF-JY").exists()


def test_a_page_form_stores_nfc_without_bidi_controls(personas, client_of):
    client = client_of(personas.sysadmin)
    name = f"{RLO}{DECOMPOSED}"
    response = client.post(reverse("core:organisation_create"), _org_form(name=name))
    assert response.status_code == 302
    assert Organisation.objects.get(code="ZF-JY").name == unicodedata.normalize("NFC", DECOMPOSED)


def test_an_attachment_name_loses_bidi_controls_and_an_invisible_one_is_refused(personas):
    activity = make_activity(personas)
    clerk = personas.users["congress_clerk"]
    att = attachments.attachment_add(
        actor=clerk, record=activity, upload=files.upload(f"现场{RLO}gpj.pdf", files.PDF)
    )
    assert att.original_name == "现场gpj.pdf"
    with pytest.raises(ValidationFailed) as refused:
        attachments.attachment_add(
            actor=clerk, record=activity, upload=files.upload(f"{ZERO_WIDTH_ONLY}", files.PDF)
        )
    assert "不可见字符" in refused.value.message


def test_password_fields_are_left_exactly_as_typed():
    from django import forms

    field = forms.CharField(widget=forms.PasswordInput, strip=False)
    assert field.clean(f"pass{RLO}word") == f"pass{RLO}word"
