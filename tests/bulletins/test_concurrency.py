"""On PostgreSQL, each thread on its own connection: two people of a recipient sign for the
same bulletin at once — one receipt, the other told it is already signed; two drafts of one
series issued at once get different numbers."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from tests.bulletins.helpers import make_bulletin
from tests.factories import account
from wulian.core.access import actor_for
from wulian.core.bulletins import services
from wulian.core.bulletins.models import Bulletin
from wulian.core.choices import Role
from wulian.core.errors import TransitionNotAllowed
from wulian.core.models import AuditEvent


def _race(calls: dict[str, Callable[[], object]]) -> tuple[dict[str, object], list[BaseException]]:
    barrier = threading.Barrier(len(calls))
    outcome: dict[str, object] = {}
    unexpected: list[BaseException] = []

    def run(name: str, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            call()
            outcome[name] = "won"
        except TransitionNotAllowed as exc:
            outcome[name] = exc
        except BaseException as exc:  # pragma: no cover - reported below
            unexpected.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcome, unexpected


def _pg() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: an in-memory SQLite database is not shared by threads")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_signatures_at_once_make_one_receipt(personas):
    _pg()
    p = personas
    colleague = account(p.orgs["unit_a"], Role.STAFF, username="unit_a_staff")
    b = make_bulletin(p)
    org = p.orgs["unit_a"].pk

    def sign(user) -> Callable[[], object]:
        return lambda: services.bulletin_sign(
            actor=actor_for(user), bulletin_id=b.pk, organisation_id=org
        )

    outcome, unexpected = _race({"liaison": sign(p.unit_a), "staff": sign(colleague)})
    assert not unexpected, unexpected
    assert sorted(r == "won" for r in outcome.values()) == [False, True], outcome
    assert AuditEvent.objects.filter(action="bulletins.bulletin.signed").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_issues_of_one_series_at_once_get_different_numbers(personas):
    _pg()
    p = personas
    series = services.series_create(
        actor=actor_for(p.congress_clerk),
        issuer_id=p.orgs["congress_body"].pk,
        name="联合监督工作通报",
        cadence="monthly",
    )
    drafts = [make_bulletin(p, issued=False, series_id=series.pk, title=f"第{i}份") for i in (1, 2)]

    def issue(d: Bulletin) -> Callable[[], object]:
        return lambda: services.bulletin_issue(
            actor=actor_for(p.congress_clerk), bulletin_id=d.pk, version=d.version
        )

    outcome, unexpected = _race({str(d.pk): issue(d) for d in drafts})
    assert not unexpected, unexpected
    assert set(outcome.values()) == {"won"}
    numbers = sorted(Bulletin.objects.filter(series=series).values_list("number", flat=True))
    assert numbers == [1, 2]
