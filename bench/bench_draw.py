"""The HR-1 reviewer draw (wulian.judicial.draw): fairness and speed.

(a) Fairness. BENCH_DRAW_SIMULATIONS (default 20,000) draws with fresh random secrets and
    witness inputs, on the article's pool of 54 experts (18 deputies, 18 lawyers, 18
    professors; a few excluded for the case), one case, 3 reviewers with at least one lawyer and
    one professor. For each category c:
    - q_c, the expected seats per draw, computed exactly (a walk over the merged ranking, which
      is a uniformly random order of the eligible experts), against the observed mean;
    - a chi-square test that every eligible expert of c is drawn equally often (q_c/n_c per
      draw): the sum of squared deviations from the category mean, scaled by the per-draw
      variance of a uniformly chosen subset (within one draw the members of a category are
      drawn without replacement, so the plain Pearson statistic would be too small by ≈ 1 − p),
      with n_c − 1 degrees of freedom; the p-value from the regularised incomplete gamma
      function (no SciPy).
    PASS when every p-value > 0.001 and every observed q_c is within 4 standard errors of the
    exact one; excluded experts must never appear.
(b) Speed. One draw for 10,000 experts and 500 cases (3 reviewers, ≥1 lawyer, ≥1 professor,
    a year cap, firms, employers, relations and recent judges that exclude some): freeze (with
    every exclusion recorded), the manifest hash, the draw, and replaying the public record.
    PASS when freeze + hash + draw < 2 s.
"""

from __future__ import annotations

import math
import os
import random
import time
from collections import Counter
from functools import cache

from wulian.judicial import draw

RULES = draw.Rules(reviewers_per_case=3, minimums={"lawyer": 1, "professor": 1})
CASE = draw.CaseItem(
    ref="(2023)鄂02民初123号",
    parties=frozenset({"黄石某建材有限公司", "张三"}),
    lawyers=frozenset({"李律师"}),
    firms=frozenset({"湖北甲律师事务所"}),
    judges=frozenset({"王法官"}),
)


def article_pool() -> list[draw.Expert]:
    experts = []
    for i in range(54):
        category = ("deputy", "lawyer", "professor")[i // 18]
        experts.append(
            draw.Expert(
                ref=f"E{i + 1:04d}",
                category=category,
                # Three lawyers share the firm of a party's lawyer; one deputy works for a
                # party; nobody else is excluded.
                firm="湖北甲律师事务所" if category == "lawyer" and i % 6 == 0 else "",
                employer="黄石某建材有限公司" if i == 4 else "",
            )
        )
    return experts


# --- statistics ------------------------------------------------------------------------------


def _gamma_q(a: float, x: float) -> float:
    """Upper regularised incomplete gamma Q(a, x) (series below a + 1, continued fraction above;
    Numerical Recipes 6.2)."""
    if x <= 0:
        return 1.0
    gln = math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        ap = a
        for _ in range(10_000):
            ap += 1
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return 1.0 - total * math.exp(-x + a * math.log(x) - gln)
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return math.exp(-x + a * math.log(x) - gln) * h


def chi2_sf(x: float, df: int) -> float:
    """P(χ²(df) ≥ x)."""
    return _gamma_q(df / 2, x / 2)


def exact_seats(eligible: dict[str, int], rules: draw.Rules) -> dict[str, float]:
    """Expected members per category of one case without exclusions-by-cap: the merged ranking
    is a uniformly random order of the eligible experts; a category's first `minimum` entries
    are its minimum seats, the remaining seats go to the first entries not already seated."""
    cats = [c for c in draw.CATEGORIES if eligible.get(c)]
    minimum = [rules.minimums.get(c, 0) for c in cats]
    extra = rules.reviewers_per_case - sum(rules.minimums.values())

    @cache
    def walk(remaining: tuple[int, ...], seen: tuple[int, ...], seats: int) -> tuple[float, ...]:
        total = sum(remaining)
        if seats == 0 or total == 0:
            return (0.0,) * len(cats)
        out = [0.0] * len(cats)
        for i, n in enumerate(remaining):
            if not n:
                continue
            p = n / total
            rem = (*remaining[:i], n - 1, *remaining[i + 1 :])
            if seen[i] < minimum[i]:
                nxt = walk(rem, (*seen[:i], seen[i] + 1, *seen[i + 1 :]), seats)
                gain = 0
            else:
                nxt = walk(rem, seen, seats - 1)
                gain = 1
            for j in range(len(cats)):
                out[j] += p * (nxt[j] + (gain if j == i else 0))
        return tuple(out)

    merged = walk(tuple(eligible[c] for c in cats), (0,) * len(cats), extra)
    return {c: minimum[i] + merged[i] for i, c in enumerate(cats)}


# --- (a) fairness ----------------------------------------------------------------------------


def fairness(simulations: int) -> bool:
    pool = article_pool()
    manifest = draw.freeze(draw_id="BENCH-FAIR", experts=pool, cases=[CASE], rules=RULES)
    eligible = manifest.eligible[CASE.ref]
    excluded = {e.expert_ref for e in manifest.exclusions}
    n = {c: len(eligible[c]) for c in draw.CATEGORIES if eligible[c]}
    q = exact_seats(n, RULES)
    rng = random.Random(20231205)
    counts: Counter[str] = Counter()
    k_sum: Counter[str] = Counter()
    k_pairs: Counter[str] = Counter()
    k_sq: Counter[str] = Counter()
    category_of = manifest.category_of
    started = time.perf_counter()
    for _ in range(simulations):
        witness = f"{rng.randrange(10**11, 10**12)}"
        s = draw.seed(
            manifest_hash=manifest.hash, secret=draw.new_secret(), witness_inputs=[witness]
        )
        members = draw.run(manifest, s).panels[0].members
        counts.update(members)
        per = Counter(category_of[m] for m in members)
        for c in n:
            k_sum[c] += per[c]
            k_pairs[c] += per[c] * (per[c] - 1)
            k_sq[c] += per[c] ** 2
    elapsed = time.perf_counter() - started
    print(
        f"(a) {simulations:,} draws of 3 reviewers (≥1 lawyer, ≥1 professor) from 54 experts, "
        f"{len(excluded)} excluded for the case: {elapsed:.1f} s "
        f"({simulations / elapsed:,.0f} draws/s)"
    )
    ok = not (excluded & set(counts))
    if not ok:
        print("    FAIL: an excluded expert was drawn")
    for c, n_c in n.items():
        observed = [counts[ref] for ref in eligible[c]]
        mean_k = k_sum[c] / simulations
        var_k = k_sq[c] / simulations - mean_k**2
        se = math.sqrt(var_k / simulations)
        p = mean_k / n_c
        within = p - (k_pairs[c] / simulations) / (n_c * (n_c - 1))  # σ² − ρ per draw
        avg = sum(observed) / n_c
        stat = sum((o - avg) ** 2 for o in observed) / (simulations * within)
        p_value = chi2_sf(stat, n_c - 1)
        z = (mean_k - q[c]) / se if se else 0.0
        good = p_value > 0.001 and abs(z) < 4
        ok &= good
        print(
            f"    {c:<9} n={n_c:>2}  q exact {q[c]:.4f}, observed {mean_k:.4f} (z {z:+.2f}); "
            f"expected per expert {simulations * q[c] / n_c:,.0f}, observed "
            f"{min(observed):,}–{max(observed):,}; χ² {stat:.1f} on {n_c - 1} df, "
            f"p = {p_value:.3f}  {'ok' if good else 'FAIL'}"
        )
    print(f"    {'PASS' if ok else 'FAIL'}: selection frequencies ≈ q/n within each category")
    return ok


# --- (b) speed -------------------------------------------------------------------------------


def big_batch(n_experts: int = 10_000, n_cases: int = 500):
    rng = random.Random(500)
    categories = ("deputy", "lawyer", "professor", "other")
    experts = [
        draw.Expert(
            ref=f"E{i:05d}",
            category=categories[i % 4],
            firm=f"律师事务所{rng.randrange(400)}" if i % 4 == 1 else "",
            employer=f"企业{rng.randrange(3000)}" if i % 3 == 0 else f"单位{rng.randrange(500)}",
            relations=frozenset({f"企业{rng.randrange(3000)}", f"人员{rng.randrange(20000)}"}),
            recent_judges=frozenset({f"法官{rng.randrange(300)}"}) if i % 5 == 0 else frozenset(),
            recusals=frozenset(),
            year_load=rng.randrange(6),
        )
        for i in range(n_experts)
    ]
    cases = [
        draw.CaseItem(
            ref=f"(2023)鄂02{('民初', '执', '执恢', '民终')[k % 4]}{k + 1}号",
            parties=frozenset({f"企业{rng.randrange(3000)}", f"人员{rng.randrange(20000)}"}),
            lawyers=frozenset({f"律师{rng.randrange(5000)}"}),
            firms=frozenset({f"律师事务所{rng.randrange(400)}" for _ in range(2)}),
            judges=frozenset({f"法官{rng.randrange(300)}"}),
        )
        for k in range(n_cases)
    ]
    rules = draw.Rules(reviewers_per_case=3, minimums={"lawyer": 1, "professor": 1}, year_cap=5)
    return experts, cases, rules


def speed() -> bool:
    experts, cases, rules = big_batch()
    t0 = time.perf_counter()
    manifest = draw.freeze(draw_id="BENCH-BIG", experts=experts, cases=cases, rules=rules)
    t1 = time.perf_counter()
    manifest_hash = manifest.hash
    t2 = time.perf_counter()
    secret = draw.new_secret()
    seed = draw.seed(manifest_hash=manifest_hash, secret=secret, witness_inputs=["314159265358"])
    result = draw.run(manifest, seed)
    t3 = time.perf_counter()
    record = draw.public_record(
        manifest=manifest,
        commitment=draw.commitment(secret),
        secret=secret,
        witness_inputs=["314159265358"],
        result=result,
    )
    t4 = time.perf_counter()
    problems = draw.verify_record(record)
    t5 = time.perf_counter()
    load = Counter(m for p in result.panels for m in p.members)
    total = t3 - t0
    ok = total < 2.0 and not problems
    print(
        f"(b) {len(experts):,} experts × {len(cases)} cases: freeze {t1 - t0:.2f} s "
        f"({len(manifest.exclusions):,} exclusions recorded), manifest hash {t2 - t1:.2f} s "
        f"({len(manifest.canonical()) / 1e6:.1f} MB canonical JSON), draw {t3 - t2:.2f} s; "
        f"total {total:.2f} s"
    )
    print(
        f"    public record {t4 - t3:.2f} s, verify_record (full replay) {t5 - t4:.2f} s; "
        f"batch cap {manifest.batch_cap}, {len(load):,} distinct reviewers, "
        f"most cases for one expert {max(load.values())}"
    )
    print(
        f"    {'PASS' if ok else 'FAIL'}: freeze + hash + draw under 2 s"
        + (f" — verify: {problems[0]}" if problems else "")
    )
    return ok


def run(args=None) -> None:
    simulations = int(os.environ.get("BENCH_DRAW_SIMULATIONS", "20000"))
    fairness(simulations)
    speed()


if __name__ == "__main__":
    run()
