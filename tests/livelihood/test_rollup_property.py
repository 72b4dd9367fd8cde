"""The per-cycle roll-up (the figures page, API, .docx and command line read it) equals the sum
over the projects and their indicators, for generated cycles: reports go through the service in
any order of months, and each indicator's figure is its latest month's cumulative report."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.livelihood import helpers as h
from wulian.core.access import actor_for
from wulian.livelihood import rules, selectors, services
from wulian.livelihood.choices import IndicatorKind, Satisfaction
from wulian.livelihood.figures import cli_figures
from wulian.livelihood.models import Indicator, Project

pytestmark = pytest.mark.django_db
NOW = datetime(2023, 12, 15, 10, 0, tzinfo=h.SH)
KINDS = [IndicatorKind.COUNT, IndicatorKind.LENGTH, IndicatorKind.COMPLETED, IndicatorKind.IN_USE]


@st.composite
def indicator(draw):
    kind = draw(st.sampled_from(KINDS))
    target = Decimal(draw(st.integers(1, 1000)))
    months = sorted(draw(st.sets(st.integers(1, 12), max_size=3)))
    # Cumulative values never fall, and stay within the plausibility ceiling (twice the target).
    steps = draw(st.lists(st.integers(0, int(target)), min_size=len(months), max_size=len(months)))
    values, total = [], Decimal(0)
    for step in steps:
        total = min(total + step, 2 * target)
        values.append(total)
    in_use = [min(v, Decimal(draw(st.integers(0, int(v))))) for v in values]
    order = draw(st.permutations(list(range(len(months)))))
    return kind, target, list(zip(months, values, in_use, strict=True)), order


cycles = st.lists(
    st.tuples(
        st.lists(indicator(), min_size=1, max_size=2),
        st.sampled_from([s.value for s in Satisfaction]),
    ),
    min_size=1,
    max_size=3,
)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(cycles)
def test_the_cycles_roll_up_is_the_sum_over_its_projects_and_indicators(personas, generated):
    with time_machine.travel(NOW, tick=False), transaction.atomic():
        cycle = h.make_cycle(personas, year=2023)
        department = actor_for(personas.unit_a)
        expected_done = 0
        expected_actual: dict[int, Decimal] = {}
        expected_in_use: dict[int, Decimal] = {}
        for number, (specs, grade) in enumerate(generated, start=1):
            project = Project.objects.create(
                cycle=cycle,
                number=number,
                title=f"项目{number}",
                responsible=personas.orgs["unit_a"],
                satisfaction=grade,
            )
            all_done = True
            for position, (kind, target, reports, order) in enumerate(specs):
                ind = Indicator.objects.create(
                    project=project,
                    position=position,
                    name=f"指标{position}",
                    unit="个",
                    kind=kind,
                    target=target,
                    plan=h.PLAN,
                )
                for k in order:
                    month, value, in_use = reports[k]
                    services.actual_report(
                        department,
                        project_id=project.pk,
                        indicator_id=ind.pk,
                        month=month,
                        value=value,
                        value_in_use=in_use if kind == IndicatorKind.IN_USE else None,
                    )
                last = reports[-1] if reports else (0, Decimal(0), Decimal(0))
                expected_actual[ind.pk] = last[1]
                expected_in_use[ind.pk] = last[2]
                use = last[2] if kind == IndicatorKind.IN_USE else None
                all_done = all_done and rules.progress(target, last[1], use).done
            expected_done += all_done

        for figures in (
            selectors.figures(actor=actor_for(personas.congress_clerk), year=2023),
            cli_figures(year=2023),
        ):
            assert len(figures.projects) == len(generated)
            assert figures.done == expected_done
            assert figures.satisfaction == {
                s.value: n
                for s in Satisfaction
                if s.value
                for n in [Counter(g for _specs, g in generated)[s.value]]
            }
            shown = {i.id: i for p in figures.projects for i in p.indicators}
            assert set(shown) == set(expected_actual)
            for pk, fig in shown.items():
                assert fig.progress.actual == expected_actual[pk]
                if fig.kind == IndicatorKind.IN_USE:
                    assert fig.progress.in_use == expected_in_use[pk]
            assert sum(len(p.indicators) for p in figures.projects) == sum(
                len(specs) for specs, _g in generated
            )
            as_dict = figures.as_dict()
            assert as_dict["done"] == sum(item["done"] for item in as_dict["items"])
            assert sum(
                Decimal(i["actual"]) for it in as_dict["items"] for i in it["indicators"]
            ) == (sum(expected_actual.values(), Decimal(0)))
        transaction.set_rollback(True)
