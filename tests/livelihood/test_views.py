"""The livelihood pages, API and documents as people use them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.livelihood import helpers as h
from tests.personas import client_for
from wulian.livelihood import services
from wulian.livelihood.models import Actual

pytestmark = pytest.mark.django_db
NOW = datetime(2023, 12, 15, 10, 0, tzinfo=h.SH)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_department_reports_through_the_page_and_the_group_verifies_through_the_api(personas):
    project = h.make_project(personas)
    page = client_for(personas.unit_a)
    response = page.post(
        f"/livelihood/projects/{project.pk}/report/",
        {
            "indicator": project.indicators.get().pk,
            "month": 3,
            "value": "150",
            "narrative": "完成路基",
            "photos": [h.photo()],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    actual = Actual.objects.get()
    assert actual.photos.get().readable
    # Too much: the page shows the form again with the reason on the field.
    response = page.post(
        f"/livelihood/projects/{project.pk}/report/",
        {"indicator": project.indicators.get().pk, "month": 4, "value": "5000"},
    )
    assert response.status_code == 400
    assert "合理上限" in response.content.decode()
    api = client_for(personas.deputy)
    response = api.post(
        f"/api/v1/livelihood/actuals/{actual.pk}/verify/",
        {"version": actual.version, "note": "属实"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "verified"


def test_the_project_page_shows_progress_the_warning_and_the_unreadable_photo_mark(personas):
    project = h.make_project(personas)
    services.actual_report(
        h.actor_for(personas.unit_a),
        project_id=project.pk,
        indicator_id=project.indicators.get().pk,
        month=3,
        value=Decimal(100),
        photos=[h.photo(readable=False)],
    )
    html = client_for(personas.deputy).get(project.get_absolute_url()).content.decode()
    assert "600 公里，完成 100 公里" in html
    assert "进度预警" in html
    assert "照片无拍摄时间或地点信息" in html


def test_list_pages_cost_the_same_queries_for_one_row_as_for_many(personas):
    clerk = client_for(personas.congress_clerk)
    cycle = h.make_cycle(personas)
    h.make_project(personas, cycle=cycle)
    clerk.get("/livelihood/projects/")
    with CaptureQueriesContext(connection) as one:
        clerk.get("/livelihood/projects/")
        clerk.get(f"/livelihood/figures/?year={cycle.year}")
        clerk.get(cycle.get_absolute_url())
    for _ in range(5):
        h.make_project(personas, cycle=cycle)
    with CaptureQueriesContext(connection) as six:
        clerk.get("/livelihood/projects/")
        clerk.get(f"/livelihood/figures/?year={cycle.year}")
        clerk.get(cycle.get_absolute_url())
    assert len(one) == len(six)


def test_figures_page_api_and_docx(personas):
    cycle = h.make_cycle(personas)
    h.make_project(personas, cycle=cycle)
    clerk = client_for(personas.congress_clerk)
    page = clerk.get(f"/livelihood/figures/?year={cycle.year}").content.decode()
    assert "600 公里，完成 0 公里" in page
    data = clerk.get(f"/api/v1/livelihood/figures/?year={cycle.year}").json()
    assert data["projects"] == 1 and data["done"] == 0
    docx = clerk.get(f"/livelihood/figures.docx?year={cycle.year}")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_the_public_page_needs_no_sign_in_and_shows_no_person(personas):
    photo = h.public_photo(personas)
    project = photo.actual.indicator.project
    anonymous = Client()
    html = anonymous.get(f"/livelihood/public/{project.cycle.year}/").content.decode()
    assert project.title in html
    assert f"/livelihood/public/photos/{photo.pk}/" in html
    for user in (personas.unit_a, personas.deputy):
        assert user.person.name not in html
    assert anonymous.get(f"/livelihood/public/photos/{photo.pk}/").status_code == 200
    photo.public = False
    photo.save(update_fields=["public"])
    assert anonymous.get(f"/livelihood/public/photos/{photo.pk}/").status_code == 404


def test_the_clerk_opens_a_year_through_its_page_and_a_repeated_year_is_refused(personas):
    page = client_for(personas.congress_clerk)
    data = {
        "year": 2024,
        "title": "2024年民生实事",
        "organiser": personas.orgs["congress_body"].pk,
        "places": 10,
        "deputies": 300,
    }
    response = page.post("/livelihood/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    response = page.post("/livelihood/new/", data)
    assert response.status_code == 400
    assert "2024年度已建立" in response.content.decode()


def test_the_group_and_milestones_are_edited_on_the_project_page_and_a_stale_page_refused(
    personas,
):
    project = h.make_project(personas)
    page = client_for(personas.congress_clerk)
    body = page.get(project.get_absolute_url()).content.decode()
    assert "?edit=group" in body and "?edit=milestones" in body  # the forms on demand
    body = page.get(project.get_absolute_url() + "?edit=group").content.decode()
    assert "保存监督小组" in body
    response = page.post(
        f"/livelihood/projects/{project.pk}/group/",
        {
            "version": project.version,
            "head": personas.congress_clerk.person.pk,
            "deputies": personas.deputy.person.name,
            "cdi_contact": personas.cdi_officer.person.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert project.group.count() == 3
    response = page.post(
        f"/livelihood/projects/{project.pk}/milestones/",
        {"version": project.version, "milestones": "开工|2023-03-31"},
    )
    assert response.status_code == 409  # the page was read before the group was saved
    assert "已被他人修改" in response.content.decode()
    project.refresh_from_db()
    response = page.post(
        f"/livelihood/projects/{project.pk}/milestones/",
        {"version": project.version, "milestones": "开工|3月底"},
    )
    assert response.status_code == 400
    assert "无法识别" in response.content.decode()
    response = page.post(
        f"/livelihood/projects/{project.pk}/milestones/",
        {"version": project.version, "milestones": "开工|2023-03-31"},
    )
    assert response.status_code == 302
    assert project.milestones.get().title == "开工"
    # The department sees the group but may not change it.
    body = client_for(personas.unit_a).get(project.get_absolute_url()).content.decode()
    assert "组建监督小组" not in body


def test_an_order_is_issued_answered_and_escalated_on_the_project_page(personas):
    from wulian.livelihood.models import Order

    project = h.make_project(personas)
    clerk = client_for(personas.congress_clerk)
    assert "发出督办" not in clerk.get(project.get_absolute_url()).content.decode()  # not lagging
    project.indicators.update(warned_gap=Decimal("0.5"))
    assert "发出督办" in clerk.get(project.get_absolute_url()).content.decode()
    response = clerk.post(
        f"/livelihood/projects/{project.pk}/order/",
        {"version": project.version, "requirements": "请加快施工。", "due_on": "2023-12-10"},
    )
    assert response.status_code == 400
    assert "答复期限应晚于今天" in response.content.decode()
    response = clerk.post(
        f"/livelihood/projects/{project.pk}/order/",
        {"version": project.version, "requirements": "请加快施工。", "due_on": "2023-12-25"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    order = Order.objects.get()
    department = client_for(personas.unit_a)
    body = department.get(project.get_absolute_url()).content.decode()
    assert "答复督办" in body and "移交纪委监委" not in body
    response = department.post(
        f"/livelihood/orders/{order.pk}/answer/",
        {f"o{order.pk}-version": order.version, f"o{order.pk}-answer": "已增加施工队伍。"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    order.refresh_from_db()
    response = clerk.post(
        f"/api/v1/livelihood/orders/{order.pk}/escalate/",
        {"version": order.version, "note": "答复后仍无进展。", "confirm": True},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "escalated"
