"""The rules, stated as properties (hypothesis): the transition table, the overall verdict,
numbering per session, and the public page's redaction of personal data."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.suggestions.helpers import make_session
from wulian.suggestions import redact, services
from wulian.suggestions.choices import (
    SATISFACTION_RANK,
    STEP_STATES,
    TRANSITIONS,
    Category,
    Satisfaction,
    Step,
    steps_from,
)
from wulian.suggestions.choices import SuggestionStatus as S
from wulian.suggestions.models import Suggestion

FINAL = {S.NOT_ACCEPTED, S.AS_LETTER, S.WITHDRAWN, S.CLOSED}
# 督办中 ends with its supervision order (services.supervision_close), not by a step of its own.
ENDS_WITH_ITS_ORDER = {S.SUPERVISED}


def test_every_state_is_reachable_and_only_the_final_ones_end():
    reachable, frontier = {S.SUBMITTED}, [S.SUBMITTED]
    # 不满意 after the first reply leads to 重新办理 (the verdict's other target).
    edges = [*((source, target) for (source, _step), target in TRANSITIONS.items())]
    edges.append((S.ANSWERED, S.REOPENED))
    # 不满意 after the re-reply: 督办中 until the 不满意督办 order is closed, then 已办结.
    edges += [(S.ANSWERED, S.SUPERVISED), (S.SUPERVISED, S.CLOSED)]
    while frontier:
        state = frontier.pop()
        for source, target in edges:
            if source == state and target not in reachable:
                reachable.add(target)
                frontier.append(target)
    assert reachable == set(S.values)
    for state in S.values:
        moves = [step for (source, step) in TRANSITIONS if source == state]
        assert (not moves) == (state in FINAL | ENDS_WITH_ITS_ORDER), state
    # Withdrawal is possible until the reply, never after it.
    assert {s for (s, step) in TRANSITIONS if step == Step.WITHDRAW} == {
        S.SUBMITTED,
        S.ACCEPTED,
        S.ASSIGNED,
        S.SENT_BACK,
        S.HANDLING,
        S.REOPENED,
    }


@given(st.sampled_from(S.values))
def test_steps_from_agrees_with_the_tables(state):
    steps = steps_from(state)
    assert set(steps) == {step for (s, step) in TRANSITIONS if s == state} | {
        step for step, states in STEP_STATES.items() if state in states
    }


@given(st.sampled_from(Satisfaction.values), st.sampled_from(Satisfaction.values))
def test_the_overall_verdict_is_the_worse_of_the_two(attitude, result):
    overall = services.overall_of(attitude, result)
    assert overall in (attitude, result)
    assert SATISFACTION_RANK[overall] == min(SATISFACTION_RANK[attitude], SATISFACTION_RANK[result])
    assert (overall == Satisfaction.UNSATISFIED) == (Satisfaction.UNSATISFIED in (attitude, result))


@pytest.mark.django_db
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.integers(0, 1), min_size=1, max_size=6))
def test_numbers_run_from_one_without_gaps_in_each_session(personas, choices):
    sessions = [
        make_session(personas),
        make_session(personas, name="市十五届人大三次会议", is_current=False),
    ]
    for i in choices:
        services.suggestion_submit(
            actor=personas.deputy,
            data={
                "session_id": sessions[i].pk,
                "title": "关于路灯的建议",
                "content": "路灯不亮。",
                "category": Category.URBAN_RURAL,
            },
        )
    for session in sessions:
        numbers = sorted(
            Suggestion.objects.filter(session=session).values_list("number", flat=True)
        )
        assert numbers == list(range(1, len(numbers) + 1))


CHINESE = st.text(
    alphabet=st.sampled_from(
        "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研"
    ),
    min_size=0,
    max_size=40,
)
PHONE = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
ID_NO = st.from_regex(r"[1-6][0-9]{16}[0-9X]", fullmatch=True)


@given(CHINESE, PHONE, ID_NO, CHINESE)
def test_redaction_removes_phone_and_id_numbers_wherever_they_are(before, phone, id_no, after):
    text = f"{before}电话{phone}，身份证{id_no}。{after}"
    cleaned = redact.redact(text)
    assert phone not in cleaned and id_no not in cleaned
    assert not re.search(r"1[3-9]\d{9}", cleaned)
    assert cleaned.startswith(before)


# Each spelling of 139 1234 5678 a deputy or a unit has typed.
PHONE_SPELLINGS = [
    "13912345678",
    "１３９１２３４５６７８",  # full-width digits
    "139.1234.5678",
    "139-1234-5678",
    "139 1234 5678",
    "1 3 9 1 2 3 4 5 6 7 8",
    "139\u200b1234\u200c5678",  # zero-width separators
    "1\u200d3\u20609\ufeff12345678",
    "一三九一二三四五六七八",  # Chinese numerals
    "壹叁玖壹贰叁肆伍陆柒捌",
    "幺三九幺二三四五六七八",
    "一三九 1234 五六七八",  # mixed
    "+86 139-1234-5678",
    "＋８６－１３９－１２３４－５６７８",
]
LANDLINE_SPELLINGS = [
    "0714-6543210",
    "(0714)6543210",
    "〇七一四六五四三二一〇",
    "０７１４．６５４３２１０",
]
ID_SPELLINGS = [
    "420201198001011234",
    "４２０２０１１９８００１０１１２３Ｘ",
    "420201 19800101 1234",
    "4202\u200b0119\u200b8001\u200b011234",
    "四二〇二〇一一九八〇〇一〇一一二三四",
]


@pytest.mark.parametrize("number", PHONE_SPELLINGS + LANDLINE_SPELLINGS + ID_SPELLINGS)
def test_numbers_are_masked_in_every_spelling(number):
    text = f"请联系我，电话：{number}，谢谢。"
    cleaned = redact.redact(text)
    assert cleaned == "请联系我，电话：［已隐去］，谢谢。"


def test_names_of_known_people_are_masked_also_when_spaced_and_the_rest_is_kept_as_written():
    text = "领衔代表王建国（电话见附件），附议代表李 红梅、赵\u200b小军。２０２５年１２月６日办结。"
    cleaned = redact.redact(text, names=["王建国", "李红梅", "赵小军", ""])
    hidden = "［已隐去］"
    assert cleaned == (
        f"领衔代表{hidden}（电话见附件），附议代表{hidden}、{hidden}。２０２５年１２月６日办结。"
    )


def test_dates_amounts_and_case_numbers_are_not_masked():
    text = "2025-12-06 投入 350 万元，（2025）鄂02民终1234号，两个街道，第一三九中学。"
    assert redact.redact(text) == text
