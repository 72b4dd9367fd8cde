"""The bulletins' demo data: the 2023 bulletin of the 市人大常委会 to the 市纪委监委 and the
government's offices, signed for by every recipient, with the CDI's feedback."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.personas import client_for
from wulian.accounts.models import User
from wulian.core import demo
from wulian.core.bulletins import demo as bulletin_demo
from wulian.core.bulletins.models import Bulletin

pytestmark = pytest.mark.django_db


def test_the_demo_bulletin_is_issued_in_2023_and_signed_for(seeded):
    demo.seed()
    bulletin_demo.seed()
    b = Bulletin.objects.get()
    assert b.year == 2023 and b.issuer.short_name == "市人大常委会"
    assert b.number_label == "〔2023〕第1期" and b.series.cadence == "quarterly"
    names = {r.organisation.name for r in b.recipients.all()}
    assert "中共黄石市纪律检查委员会 黄石市监察委员会" in names
    assert "黄石市人民政府办公室" in names
    assert all(r.signed_at and r.signed_at.year == 2023 for r in b.recipients.all())
    assert b.recipients.filter(feedback__gt="").count() == 1
    page = client_for(User.objects.get(username="gov_supervisor")).get(b.get_absolute_url())
    assert page.status_code == 200
    figures = client_for(User.objects.get(username="congress_office")).get(
        reverse("bulletins:figures"), {"year": 2023}
    )
    assert "100.0%" in figures.content.decode()
