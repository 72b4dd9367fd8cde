"""The judicial demo data: the 2023 figures the article reports, a draw that verifies, and the
link's pages opening for the demo accounts."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from wulian.core import demo
from wulian.judicial import selectors, services
from wulian.judicial.models import Draw

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("judicial_env", "seeded")]


@pytest.fixture
def demo_data():
    counts = demo.seed()
    counts.update(apps.get_app_config("judicial").demo_seed())
    return counts


def client_of_account(username: str) -> Client:
    from tests.personas import client_for
    from wulian.accounts.models import User

    return client_for(User.objects.get(username=username))


def test_the_2023_batch_matches_the_article(demo_data):
    from wulian.accounts.models import User

    f = selectors.figures(actor=User.objects.get(username="stationed"), year=2023)
    assert f.experts_total.value == 54
    assert {x.label: x.value for x in f.experts_by_category} == {
        "人大代表": 18,
        "律师": 20,
        "高校教授": 16,
        "其他": 0,
    }
    assert f.suggestions.value > 10 and f.adopted.value == f.suggestions.value
    assert f.cases_corrected.value == 2 and f.mechanisms.value == 2
    assert f.draws.value == 1 and f.cases_reviewed.value == 24
    for d in Draw.objects.all():
        assert services.draw_verify_record(d).ok


@pytest.mark.parametrize(
    "username", ["congress_leader", "stationed", "cdi_officer", "court_clerk", "expert"]
)
def test_the_judicial_pages_open_for_the_demo_accounts(demo_data, username):
    client = client_of_account(username)
    home = client.get(reverse("judicial:home"))
    assert home.status_code == 200
    for url in {line.split('"')[0] for line in home.content.decode().split('<td><a href="')[1:]}:
        assert client.get(url).status_code == 200, url
