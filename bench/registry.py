"""The benchmarks, in the order they run. Each takes the parsed arguments and prints."""

from __future__ import annotations

from collections.abc import Callable

from bench import (
    bench_audit,
    bench_consultation,
    bench_dashboards,
    bench_deadlines,
    bench_draw,
    bench_evaluation,
    bench_livelihood,
    bench_polls,
    bench_reports,
    bench_stations,
    bench_suggestions,
)

BENCHMARKS: dict[str, Callable] = {
    "audit": bench_audit.run,
    "consultation": bench_consultation.run,
    "deadlines": bench_deadlines.run,
    "draw": bench_draw.run,
    "evaluation": bench_evaluation.run,
    "livelihood": bench_livelihood.run,
    "polls": bench_polls.run,
    "stations": bench_stations.run,
    "suggestions": bench_suggestions.run,
    # After the suggestions and the evaluations: the dashboards read their data.
    "dashboards": bench_dashboards.run,
    # Last: it meets every other link's bench data (issue 20's scale).
    "reports": bench_reports.run,
}
