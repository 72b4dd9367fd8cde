"""The team's score sheet (the declared step `scores`): a page of its own with one field per
evaluated dimension, and the same body through the API; bad input refused with a message that
names the dimension to correct, a stale sheet refused, nothing half-saved."""

from __future__ import annotations

import pytest
import time_machine

from tests.evaluation import helpers as h
from tests.personas import client_for
from wulian.core.access import actor_for
from wulian.core.errors import ConcurrentEdit, TransitionNotAllowed, ValidationFailed
from wulian.core.models import AuditEvent
from wulian.evaluation import services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_media")]


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(h.T0, tick=False):
        yield


def _during(personas):
    e = h.advance(personas, h.with_dossier(personas, h.create(personas)))
    h.activity(personas, e)
    e.refresh_from_db()
    return h.advance(personas, e)


def _sheet(e, values, version=None):
    data = {f"d{i}": v for i, v in enumerate(values, start=1)}
    data["version"] = e.version if version is None else version
    return data


def test_the_sheet_has_a_field_per_dimension_and_records_every_score(personas):
    e = _during(personas)
    clerk = client_for(personas.congress_clerk)
    detail = clerk.get(e.get_absolute_url()).content.decode()
    assert f"/evaluation/{e.pk}/scores/" in detail  # the record page links the sheet
    page = clerk.get(f"/evaluation/{e.pk}/scores/")
    assert page.status_code == 200
    text = page.content.decode()
    for i, name in enumerate(e.dimensions, start=1):
        assert f'name="d{i}"' in text and name in text
    values = [90, 85, 80, 75, 70][: len(e.dimensions)]
    response = clerk.post(f"/evaluation/{e.pk}/scores/", _sheet(e, values))
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.dimension_scores == dict(zip(e.dimensions, values, strict=True))
    (event,) = AuditEvent.objects.filter(action="evaluation.scores.recorded")
    assert event.before_data == {"scores": {}}
    assert event.after_data["scores"] == e.dimension_scores
    # The sheet shows the recorded scores when opened again.
    assert 'value="90"' in clerk.get(f"/evaluation/{e.pk}/scores/").content.decode()


@pytest.mark.parametrize(
    ("bad", "says"),
    [("", "请填写“"), ("abc", "的得分须为 0 至 100 的整数"), ("101", "的得分须为 0 至 100 的整数")],
)
def test_bad_input_is_refused_naming_the_dimension(personas, bad, says):
    e = _during(personas)
    values = [90] * len(e.dimensions)
    values[1] = bad
    response = client_for(personas.congress_clerk).post(
        f"/evaluation/{e.pk}/scores/", _sheet(e, values)
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert says in text and e.dimensions[1] in text
    e.refresh_from_db()
    assert e.dimension_scores == {}
    assert not AuditEvent.objects.filter(action="evaluation.scores.recorded").exists()


def test_a_stale_sheet_is_refused_and_nothing_overwritten(personas):
    e = _during(personas)
    first = [80] * len(e.dimensions)
    services.scores_record(
        actor=actor_for(personas.congress_clerk),
        evaluation_id=e.pk,
        version=e.version,
        scores=dict(zip(e.dimensions, first, strict=True)),
    )
    response = client_for(personas.congress_clerk).post(
        f"/evaluation/{e.pk}/scores/", _sheet(e, [60] * len(e.dimensions))
    )
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    e.refresh_from_db()
    assert set(e.dimension_scores.values()) == {80}


def test_the_api_takes_the_same_sheet(personas):
    e = _during(personas)
    api = client_for(personas.congress_clerk)
    url = f"/api/v1/evaluations/{e.pk}/scores/"
    short = _sheet(e, [90] * (len(e.dimensions) - 1))
    response = api.post(url, short, content_type="application/json")
    assert response.status_code == 400
    assert f"d{len(e.dimensions)}" in response.json()["errors"]
    response = api.post(url, _sheet(e, [88] * len(e.dimensions)), content_type="application/json")
    assert response.status_code == 200, response.content
    assert set(response.json()["dimension_scores"].values()) == {88}
    denied = client_for(personas.unit_a).post(
        url, _sheet(e, [1] * len(e.dimensions)), content_type="application/json"
    )
    assert denied.status_code in (403, 404)


def test_the_service_refuses_a_partial_or_foreign_sheet_and_the_wrong_stage(personas):
    e = _during(personas)
    clerk = actor_for(personas.congress_clerk)
    with pytest.raises(ValidationFailed, match="请为“"):
        services.scores_record(
            actor=clerk, evaluation_id=e.pk, version=e.version, scores={e.dimensions[0]: 90}
        )
    with pytest.raises(ValidationFailed, match="不是本评议的评议内容"):
        services.scores_record(
            actor=clerk, evaluation_id=e.pk, version=e.version, scores={"别的内容": 90}
        )
    with pytest.raises(ConcurrentEdit):
        services.scores_record(actor=clerk, evaluation_id=e.pk, version=e.version - 1, scores={})
    early = h.create(personas, department="unit_b")
    with pytest.raises(TransitionNotAllowed):
        services.scores_record(
            actor=clerk,
            evaluation_id=early.pk,
            version=early.version,
            scores={d: 90 for d in early.dimensions},
        )


def test_a_dimension_taken_off_takes_its_score(personas):
    e = _during(personas)
    clerk = actor_for(personas.congress_clerk)
    e = services.scores_record(
        actor=clerk,
        evaluation_id=e.pk,
        version=e.version,
        scores={d: 70 for d in e.dimensions},
    )
    kept = e.dimensions[:2]
    e = services.dimensions_update(
        actor=clerk, evaluation_id=e.pk, version=e.version, dimensions=[*kept, "新增内容"]
    )
    assert e.dimension_scores == {d: 70 for d in kept}
