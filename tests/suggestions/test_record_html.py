"""The suggestion page's parts drawn in Python (suggestions.record_html, ADR 0018) are what
its template drew, byte for byte. `{% handling_sections %}` (documents to verdicts): every branch
(a settled send-back with and without a replacement, a provisional deadline, an extension, a
second round, a reply face to face and late, opinions missing, attachments, a verdict's comment,
a waiver), and nothing but the blank lines when every part is empty. `{% suggestion_facts %}`:
every line of the facts, a submitter other than the deputy, no key leader, a paused or overdue
verdict deadline. Escaping and both languages throughout."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.utils import translation

from wulian.core.attachments.models import Attachment
from wulian.core.deadlines.models import Deadline, ExtensionRequest
from wulian.core.models import Organisation, Person
from wulian.suggestions.models import (
    Assignment,
    CongressSession,
    Contact,
    CoSigner,
    CoUnitOpinion,
    OpinionWaiver,
    Reply,
    Suggestion,
    Verdict,
)
from wulian.suggestions.record_html import facts_html, handling_sections_html
from wulian.suggestions.selectors import Handling

# suggestions/suggestion_detail.html's sections as they were before they were drawn in Python.
OLD = (
    "{% load i18n ui suggestion_ui deadlines %}"
    + """{% if documents %}<section id="documents" aria-labelledby="documents-title"><h2 id="documents-title">{% translate "文书" %}</h2>
<ul class="plain">{% for d in documents %}<li><a href="{{ d.url }}" download>{{ d.label }}</a></li>{% endfor %}</ul></section>{% endif %}

{% if h.assignments %}<section aria-labelledby="assign-title"><h2 id="assign-title">{% translate "交办" %}</h2>
<table class="data"><thead><tr><th>{% translate "承办单位" %}</th><th>{% translate "承办方式" %}</th><th>{% translate "交办时间" %}</th><th>{% translate "状态" %}</th></tr></thead>
<tbody>{% translate '承办单位' as l_1 %}{% translate '承办方式' as l_2 %}{% translate '交办时间' as l_3 %}{% translate '状态' as l_4 %}{% for a in h.assignments %}<tr>
  <td data-label="{{ l_1 }}">{{ a.unit.name }}</td>
  <td data-label="{{ l_2 }}">{{ a.get_role_display }}</td>
  <td data-label="{{ l_3 }}">{{ a.assigned_at|date:"Y-m-d H:i" }}</td>
  <td data-label="{{ l_4 }}">{{ a.get_status_display }}{% if a.received_at %} {{ a.received_at|date:"Y-m-d H:i" }}{% endif %}{% if a.sent_back_reason %} · {% translate "退回理由：" %}{{ a.sent_back_reason }}{% endif %}{% if a.settled_at %} · {% if a.replaced_by %}{% blocktranslate with unit=a.replaced_by.unit.name %}已改由{{ unit }}会办{% endblocktranslate %}{% else %}{% translate "不再另行指定会办单位" %}{% endif %}{% endif %}</td>
</tr>{% endfor %}</tbody></table></section>{% endif %}

{% if h.deadlines %}<section aria-labelledby="deadline-title"><h2 id="deadline-title">{% translate "办理期限" %}</h2>
<table class="data"><thead><tr><th>{% translate "事项" %}</th><th>{% translate "截止时间" %}</th><th>{% translate "状态" %}</th></tr></thead>
<tbody>{% translate '事项' as l_1 %}{% translate '截止时间' as l_2 %}{% translate '状态' as l_3 %}{% for d in h.deadlines %}<tr>
  <td data-label="{{ l_1 }}"><a href="{% url 'deadlines:detail' d.pk %}">{{ d.title|deadline_title }}</a></td>
  <td data-label="{{ l_2 }}"><time datetime="{{ d.due_at|date:'c' }}">{{ d.due_at|date:"Y-m-d H:i" }}</time>{% if d.provisional %} {% include "components/provisional.html" %}{% endif %}</td>
  <td data-label="{{ l_3 }}">{{ d.get_state_display }}</td>
</tr>{% endfor %}</tbody></table>
{% for e in h.extensions %}<p class="help">{% blocktranslate with due=e.new_due_at|date:"Y-m-d" decision=e.get_decision_display %}延期申请：延至 {{ due }}（{{ decision }}）{% endblocktranslate %} · {{ e.reason }}</p>{% endfor %}
</section>{% endif %}

{% if h.contacts %}<section aria-labelledby="contact-title"><h2 id="contact-title">{% translate "联系代表情况" %}</h2>
<ol class="plain">{% for c in h.contacts %}<li><p><strong>{{ c.get_method_display }}</strong> · <time datetime="{{ c.contacted_at|date:'c' }}">{{ c.contacted_at|date:"Y-m-d H:i" }}</time> · {{ c.assignment.unit.display_name }} · {{ c.deputy.name }}</p><div class="notes">{{ c.agreed|linebreaks }}</div></li>{% endfor %}</ol></section>{% endif %}

{% if h.opinions %}<section aria-labelledby="opinion-title"><h2 id="opinion-title">{% translate "会办意见" %}</h2>
<ol class="plain">{% for o in h.opinions %}<li><p><strong>{{ o.assignment.unit.name }}</strong> · {% blocktranslate with n=o.round %}第 {{ n }} 轮{% endblocktranslate %} · {{ o.submitted_at|date:"Y-m-d H:i" }}</p><div class="notes">{{ o.text|linebreaks }}</div></li>{% endfor %}</ol></section>{% endif %}
{% if h.waivers %}<section aria-labelledby="waiver-title"><h2 id="waiver-title">{% translate "免除的会办意见" %}</h2>
<ul class="plain">{% for w in h.waivers %}<li><strong>{{ w.assignment.unit.name }}</strong> · {% blocktranslate with n=w.round %}第 {{ n }} 轮{% endblocktranslate %} · {{ w.waived_at|date:"Y-m-d H:i" }} · {% translate "免除理由：" %}{{ w.reason }}</li>{% endfor %}</ul></section>{% endif %}

{% if h.replies %}<section aria-labelledby="reply-title"><h2 id="reply-title">{% translate "答复" %}</h2>
{% for r in h.replies %}<article class="reply" id="reply-{{ r.round }}"><h3>{% if r.round == 1 %}{% translate "答复函" %}{% else %}{% blocktranslate with n=r.round %}第 {{ n }} 次答复{% endblocktranslate %}{% endif %} · {{ r.get_category_display }}</h3>
<p>{{ r.unit.name }} · {% translate "签发人：" %}{{ r.signer }} · {{ r.sent_at|date:"Y-m-d H:i" }}{% if r.face_to_face %} · {% translate "当面答复" %}{% endif %}{% if not r.on_time %} {% badge _("逾期答复") "danger" %}{% endif %}</p>
<div class="notes">{{ r.text|linebreaks }}</div>
{% if r.opinions_missing %}<p class="help missing-opinions">{% translate "答复时未收到会办意见（会办期限已过）：" %}{% for m in r.opinions_missing %}{{ m.name }}{% if not forloop.last %}{% listsep %}{% endif %}{% endfor %}</p>{% endif %}
{% for a in r.attached %}<p>{% translate "附件：" %}<a href="{% url 'attachments:download' a.pk %}" download>{{ a.original_name }}</a></p>{% endfor %}
</article>{% endfor %}</section>{% endif %}

{% if h.may_see_verdicts and h.verdicts %}<section aria-labelledby="verdict-title"><h2 id="verdict-title">{% translate "代表评价" %}</h2>
<ul class="plain">{% for v in h.verdicts %}<li>{% blocktranslate with n=v.reply.round %}第 {{ n }} 次答复{% endblocktranslate %}{% colon %}{% translate "办理态度" %} {{ v.get_on_attitude_display }} · {% translate "办理结果" %} {{ v.get_on_result_display }}{% if v.comment %} · {{ v.comment }}{% endif %} · {{ v.given_at|date:"Y-m-d" }}</li>{% endfor %}</ul></section>{% endif %}"""  # noqa: E501
)

UTC = ZoneInfo("UTC")


def _choice(model, field: str, n: int = 0):
    return model._meta.get_field(field).choices[n][0]


def _full() -> tuple[Handling, list[dict[str, str]]]:
    at = datetime(2026, 3, 1, 17, 5, tzinfo=UTC)  # 2026-03-02 01:05 in Shanghai
    lead = Organisation(name="市<民政>局", short_name="民政 & 局")
    co = Organisation(name="市司法局", short_name="")
    new = Organisation(name="市'财政'局")
    a1 = Assignment(
        pk=1,
        unit=lead,
        role=_choice(Assignment, "role"),
        status=_choice(Assignment, "status"),
        assigned_at=at,
        received_at=at,
    )
    a2 = Assignment(
        pk=2,
        unit=co,
        role=_choice(Assignment, "role", 1),
        status=_choice(Assignment, "status", 2),
        assigned_at=at,
        sent_back_reason="不属于<本单位>职责",
        settled_at=at,
    )
    a3 = Assignment(
        pk=3, unit=co, role=_choice(Assignment, "role", 1), status="odd", assigned_at=at
    )
    a3.sent_back_reason, a3.settled_at = "x", at
    a1.replaced_by, a2.replaced_by, a3.replaced_by = None, Assignment(unit=new), None
    deputy = Person(name="张<三>")
    first = Reply(
        pk=10,
        round=1,
        category=_choice(Reply, "category"),
        unit=lead,
        signer='李"四"',
        sent_at=at,
        face_to_face=True,
        on_time=False,
        text="第一段 <b>\n第二行\n\n第二段 & 完",
        opinions_missing=[{"unit": 2, "name": "市<司法>局"}, {"unit": 3, "name": "B"}, {"unit": 4}],
    )
    first.attached = [
        Attachment(pk=5, original_name="答复&函.pdf"),
        Attachment(pk=6, original_name="b"),
    ]
    second = Reply(
        pk=11,
        round=2,
        category=_choice(Reply, "category", 1),
        unit=lead,
        signer="",
        sent_at=at,
        face_to_face=False,
        on_time=True,
        text="",
    )
    second.attached = []
    h = Handling(
        assignments=[a1, a2, a3],
        contacts=[
            Contact(
                method=_choice(Contact, "method"),
                contacted_at=at,
                assignment=a1,
                deputy=deputy,
                agreed="商定：<先>修路\r\n再装灯",
            )
        ],
        opinions=[
            CoUnitOpinion(assignment=a2, round=1, submitted_at=at, text="同意"),
            CoUnitOpinion(assignment=a2, round=12, submitted_at=at, text="a\n\nb"),
        ],
        waivers=[OpinionWaiver(assignment=a2, round=2, waived_at=at, reason="逾期<未>复")],
        replies=[first, second],
        verdicts=[
            Verdict(
                reply=first,
                on_attitude=_choice(Verdict, "on_attitude"),
                on_result=_choice(Verdict, "on_result", 1),
                comment="还行's <ok>",
                given_at=at,
            ),
            Verdict(
                reply=second,
                on_attitude=_choice(Verdict, "on_attitude", 1),
                on_result=_choice(Verdict, "on_result"),
                comment="",
                given_at=at,
            ),
        ],
        deadlines=[
            Deadline(
                pk=7,
                title="答复代表",
                due_at=at,
                provisional=True,
                state=_choice(Deadline, "state"),
            ),
            Deadline(
                pk=8,
                title="x<y>",
                due_at=at,
                provisional=False,
                state=_choice(Deadline, "state", 1),
            ),
        ],
        extensions=[
            ExtensionRequest(
                new_due_at=at, decision=_choice(ExtensionRequest, "decision"), reason="材料<未>到"
            )
        ],
        may_see_verdicts=True,
    )
    documents = [
        {"label": "交办单（Word）", "url": "/s/1/sheet.docx?a=1&b=2"},
        {"label": "督办通知's <x>", "url": "/s/1/o.docx"},
    ]
    return h, documents


def _hidden_verdicts() -> tuple[Handling, list]:
    h, _docs = _full()
    h.may_see_verdicts = False
    h.deadlines, h.replies = [], []
    return h, []


CASES = {
    "every part": _full,
    "verdicts hidden, no deadlines, no replies": _hidden_verdicts,
    "nothing": lambda: (Handling(), []),
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("case", list(CASES))
def test_the_sections_are_the_templates_html(case, language, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    h, documents = CASES[case]()
    with translation.override(language):
        old = engines["django"].from_string(OLD).render({"h": h, "documents": documents})
        new = handling_sections_html(h, documents)
    assert new == old
    if case == "every part":
        for part in (
            "missing-opinions",
            "waiver-title",
            "badge-warning",
            "答复&amp;函",
            "&lt;司法&gt;",
        ):
            assert part in new


# The page's facts as the template drew them before `{% suggestion_facts %}`.
OLD_FACTS = (
    "{% load i18n ui suggestion_ui %}"
    + """<dl class="facts">
  <dt>{% translate "编号" %}</dt><dd>{{ s.session.name }} {{ s.number_label }}</dd>
  <dt>{% translate "类别" %}</dt><dd>{{ s.get_category_display }} · {{ s.get_raised_during_display }}</dd>
  <dt>{% translate "领衔代表" %}</dt><dd>{{ s.lead_deputy.name }}</dd>
  {% if cosigners %}<dt>{% translate "附议代表" %}</dt><dd>{% for c in cosigners %}{{ c.person.name }}{% if not forloop.last %}{% listsep %}{% endif %}{% endfor %}</dd>{% endif %}
  <dt>{% translate "提交" %}</dt><dd>{{ s.submitted_at|date:"Y-m-d H:i" }}{% if s.submitter and s.submitter.pk != s.lead_deputy_id %}（{% blocktranslate with name=s.submitter.name %}{{ name }}代为提交{% endblocktranslate %}）{% endif %}</dd>
  {% if s.reviewed_at %}<dt>{% translate "审查" %}</dt><dd>{{ s.reviewed_at|date:"Y-m-d H:i" }}{% if s.not_accepted_reason %} · {% translate "不予立案：" %}{{ s.get_not_accepted_reason_display }}{% endif %}</dd>{% endif %}
  {% if s.not_accepted_note %}<dt>{% translate "说明" %}</dt><dd>{{ s.not_accepted_note|linebreaksbr }}</dd>{% endif %}
  {% if s.lead_unit %}<dt>{% translate "主办单位" %}</dt><dd>{{ s.lead_unit.name }}</dd>{% endif %}
  {% if s.assigned_at %}<dt>{% translate "交办时间" %}</dt><dd>{{ s.assigned_at|date:"Y-m-d H:i" }}</dd>{% endif %}
  {% if s.contact_due_at %}<dt>{% translate "联系代表" %}</dt><dd>{% if s.first_contact_at %}{{ s.first_contact_at|date:"Y-m-d H:i" }}{% else %}{% translate "尚未联系" %}{% endif %} · {% translate "期限" %} <time datetime="{{ s.contact_due_at|date:'c' }}">{{ s.contact_due_at|date:"Y-m-d H:i" }}</time>{% if s.contact_overdue %} {% badge _("逾期") "danger" %}{% endif %}</dd>{% endif %}
  {% if s.reply_due_at %}<dt>{% translate "答复期限" %}</dt><dd><time datetime="{{ s.reply_due_at|date:'c' }}">{{ s.reply_due_at|date:"Y-m-d" }}</time>{% if s.reply_overdue %} {% badge _("逾期") "danger" %}{% endif %}</dd>{% endif %}
  {% if verdict_deadline %}<dt>{% translate "评价期限" %}</dt><dd><time datetime="{{ verdict_deadline.due_at|date:'c' }}">{{ verdict_deadline.due_at|date:"Y-m-d" }}</time>{% if verdict_deadline.provisional %} {% include "components/provisional.html" %}{% endif %}{% if verdict_overdue %} {% badge _("逾期") "danger" %}{% elif verdict_deadline.state == "paused" %} {% badge _("已暂停") "info" %}{% endif %}</dd>{% endif %}
  {% if s.is_key %}<dt>{% translate "重点督办" %}</dt><dd>{% translate "督办领导：" %}{{ s.key_leader.name }} · {% translate "主任会议确定于" %} {{ s.key_decided_on|date:"Y-m-d" }}</dd>{% endif %}
  {% if s.withdrawn_at %}<dt>{% translate "撤回" %}</dt><dd>{{ s.withdrawn_at|date:"Y-m-d H:i" }} · {{ s.withdrawal_statement|linebreaksbr }}</dd>{% endif %}
  {% if s.public %}<dt>{% translate "公开" %}</dt><dd><a href="{% url 'suggestions:public_detail' s.pk %}">{% translate "已在公开页面发布" %}</a></dd>{% endif %}
</dl>"""  # noqa: E501
)


def _suggestion(**fields) -> Suggestion:
    at = datetime(2026, 3, 1, 17, 5, tzinfo=UTC)
    s = Suggestion(
        pk=42,
        number=7,
        session=CongressSession(name="十七届<三>次"),
        category=_choice(Suggestion, "category"),
        raised_during=_choice(Suggestion, "raised_during", 1),
        lead_deputy=Person(pk=1, name="王<五>"),
        submitted_at=at,
        status=_choice(Suggestion, "status"),
        **fields,
    )
    s.submitter = None
    return s


def _every_fact() -> tuple:
    at = datetime(2026, 3, 1, 17, 5, tzinfo=UTC)
    s = _suggestion(
        reviewed_at=at,
        not_accepted_reason=_choice(Suggestion, "not_accepted_reason"),
        not_accepted_note="第一行 <x>\n第二行 & 完",
        lead_unit=Organisation(name="市<民政>局"),
        assigned_at=at,
        contact_due_at=at,
        first_contact_at=datetime(2026, 3, 5, 1, 0, tzinfo=UTC),
        reply_due_at=at,
        is_key=True,
        key_leader=Person(name="赵<六>"),
        key_decided_on=date(2026, 3, 9),
        withdrawn_at=at,
        withdrawal_statement="不再<需要>\n谢谢",
        public=True,
    )
    s.submitter = Person(pk=2, name="秘书 & 代")
    cosigners = [CoSigner(person=Person(name="甲<一>")), CoSigner(person=Person(name="乙"))]
    deadline = Deadline(due_at=at, provisional=True, state="paused")
    return s, cosigners, deadline, False


def _unset_facts() -> tuple:
    at = datetime(2026, 3, 1, 17, 5, tzinfo=UTC)
    s = _suggestion(contact_due_at=at, is_key=True, key_leader=None)
    s.submitter = s.lead_deputy
    return s, [], Deadline(due_at=at, provisional=False, state="open"), True


FACTS = {
    "every fact": _every_fact,
    "not contacted, no key leader, verdict overdue": _unset_facts,
    "submitted only": lambda: (_suggestion(), [], "", ""),
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("case", list(FACTS))
def test_the_facts_are_the_templates_html(case, language, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    s, cosigners, deadline, overdue = FACTS[case]()
    context = {
        "s": s,
        "cosigners": cosigners,
        "verdict_deadline": deadline,
        "verdict_overdue": overdue,
    }
    with translation.override(language):
        old = engines["django"].from_string(OLD_FACTS).render(context)
        new = facts_html(s, cosigners, deadline, overdue)
    assert new == old
