"""The holiday calendar's changes through the API (issue 12): the calendar page's forms,
services, rights (system administrator) and refusals — with `"confirm": true` where the page
asks for the confirmation box."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from wulian.core.deadlines import seed, statutory
from wulian.core.deadlines.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def _post(client, name: str, data: dict | None = None, **kwargs):
    return client.post(
        reverse(f"deadlines_api:calendar-{name}", kwargs=kwargs or None),
        json.dumps(data or {}),
        content_type="application/json",
    )


def test_adding_and_removing_a_day(personas, client_of):
    client = client_of(personas.sysadmin)
    year = seed.package_years()[-1] + 1
    added = _post(client, "day-add", {"day": f"{year}-05-01", "kind": "holiday", "name": "劳动节"})
    assert added.status_code == 201, added.content
    assert added.json()["date"] == f"{year}-05-01" and added.json()["kind"] == "holiday"
    day = CalendarDay.objects.get(date=date(year, 5, 1))

    duplicate = _post(client, "day-add", {"day": f"{year}-05-01", "kind": "holiday"})
    assert duplicate.status_code in (400, 409) and "day" in duplicate.json()["errors"]
    bad = _post(client, "day-add", {"day": "not a date", "kind": "holiday"})
    assert bad.status_code == 400 and "day" in bad.json()["errors"]
    no_kind = _post(client, "day-add", {"day": f"{year}-05-02", "kind": "feast"})
    assert no_kind.status_code == 400 and "kind" in no_kind.json()["errors"]

    removed = _post(client, "day-remove", pk=day.pk)
    assert removed.status_code == 200 and removed.json()["id"] == day.pk
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    assert _post(client, "day-remove", pk=day.pk).status_code == 404


def test_only_the_system_administrator_changes_the_calendar(personas, client_of):
    day = CalendarDay.objects.first()
    for persona in (personas.unit_a, personas.secadmin):
        client = client_of(persona)
        refused = _post(client, "day-add", {"day": "2099-01-01", "kind": "holiday"})
        assert refused.status_code == 403
        assert _post(client, "day-remove", pk=day.pk).status_code == 403
        assert _post(client, "year-complete", {"confirm": True}, year=2099).status_code == 403
        assert _post(client, "year-import", year=2025).status_code == 403
    assert CalendarDay.objects.filter(pk=day.pk).exists()
    assert not CalendarDay.objects.filter(date=date(2099, 1, 1)).exists()


def test_completing_a_year_needs_confirm_where_the_page_asks(personas, client_of):
    client = client_of(personas.sysadmin)
    year = seed.package_years()[-1] + 1
    for day, name in statutory.holidays(year).items():  # the notice, 国庆 aside
        if name != "国庆节" and "补假" not in name:
            _post(client, "day-add", {"day": day.isoformat(), "kind": "holiday"})
    asked = _post(client, "year-complete", {}, year=year)
    assert asked.status_code == 400, asked.content
    assert asked.json()["code"] == "confirmation_needed" and "confirm" in asked.json()["errors"]
    assert not CalendarYear.objects.get(year=year).complete
    shaped = _post(client, "year-complete", {"confirm": "yes please"}, year=year)
    assert shaped.status_code == 400 and "confirm" in shaped.json()["errors"]

    done = _post(client, "year-complete", {"confirm": True}, year=year)
    assert done.status_code == 200 and done.json() == {
        **done.json(),
        "year": year,
        "complete": True,
    }
    again = _post(client, "year-complete", {"confirm": True}, year=year)
    assert again.status_code == 409


def test_an_implausible_year_is_refused_through_the_api_even_confirmed(personas, client_of):
    client = client_of(personas.sysadmin)
    year = seed.package_years()[-1] + 1
    _post(client, "day-add", {"day": f"{year}-05-01", "kind": "holiday"})
    refused = _post(client, "year-complete", {"confirm": True}, year=year)
    assert refused.status_code == 400 and "只录入了 1 天法定节假日" in refused.json()["detail"]
    assert not CalendarYear.objects.get(year=year).complete


def test_completing_a_full_year_needs_no_confirmation(personas, client_of):
    client = client_of(personas.sysadmin)
    year = seed.package_years()[-1] + 1
    for day, name in statutory.holidays(year).items():
        if "补假" not in name:
            added = _post(client, "day-add", {"day": day.isoformat(), "kind": "holiday"})
            assert added.status_code == 201
    assert _post(client, "year-complete", year=year).status_code == 200
    assert CalendarYear.objects.get(year=year).complete


def test_importing_a_year(personas, client_of):
    client = client_of(personas.sysadmin)
    CalendarDay.objects.filter(date__year=2025).delete()
    CalendarYear.objects.filter(year=2025).delete()
    done = _post(client, "year-import", year=2025)
    assert done.status_code == 200 and done.json()["complete"] is True
    assert CalendarYear.objects.get(year=2025).complete
    # Already in the table: refused as on the page.
    assert _post(client, "year-import", year=2025).status_code in (400, 409)
    uncovered = _post(client, "year-import", year=seed.package_years()[-1] + 5)
    assert uncovered.status_code == 400
