"""ADR 0018's measurement: the ledger's 20 rows drawn three ways, on the bench data set —
Django's template engine as the page had it (an include per badge, a `{% translate %}` per
cell), Jinja2 (the same markup, compiled to Python), and Python with `format_html` (what the
ledger does now). CPU time per page of rows, median of many; the first two need Jinja2
installed (it is not a dependency): `pip install jinja2`.

    python -m bench.render_options          # after `python -m bench.profile --generate 100000`
"""

from __future__ import annotations

import statistics
import time

from django import template

# The badge as it was before ADR 0018: an inclusion tag and its template (for the measurement).
register = template.Library()


@register.inclusion_tag("badge.html")
def badge(label, tone="neutral"):
    return {"label": label, "tone": tone}


ROW_DJANGO = """{% load i18n ui %}{% for s in rows %}<tr class="{% if s.contact_overdue or s.reply_overdue %}overdue{% endif %}">
    <td data-label="{% translate '编号' %}">{{ s.session.name }} {{ s.number_label }}</td>
    <td data-label="{% translate '标题' %}"><a href="{% url 'suggestions:suggestion_detail' s.pk %}">{{ s.title }}</a>{% include "flags.html" %}</td>
    <td data-label="{% translate '领衔代表' %}">{{ s.lead_deputy.name }}</td>
    <td data-label="{% translate '类别' %}">{{ s.get_category_display }}</td>
    <td data-label="{% translate '主办单位' %}">{{ s.lead_unit.display_name|default:"—" }}</td>
    <td data-label="{% translate '状态' %}">{% include "status_badge.html" %}{% if s.reply_category %} {{ s.reply_category }}{% endif %}</td>
    <td data-label="{% translate '答复期限' %}">{% if s.reply_due_at %}<time datetime="{{ s.reply_due_at|date:'c' }}">{{ s.reply_due_at|date:"Y-m-d" }}</time>{% else %}—{% endif %}</td>
    {% if may_see_verdicts %}<td data-label="{% translate '代表评价' %}">{{ s.get_verdict_display|default:"—" }}</td>{% endif %}
  </tr>{% endfor %}"""  # noqa: E501
BADGE = "<span class=\"badge badge-{{ tone|default:'neutral' }}\">{{ label }}</span>\n"
STATUS_DJANGO = """{% load ui %}{% if s.status == "closed" or s.status == "answered" %}{% badge s.get_status_display "ok" %}{% elif s.status == "not_accepted" or s.status == "withdrawn" %}{% badge s.get_status_display "muted" %}{% elif s.status == "reopened" or s.status == "sent_back" %}{% badge s.get_status_display "warning" %}{% else %}{% badge s.get_status_display "info" %}{% endif %}
"""  # noqa: E501
FLAGS_DJANGO = """{% load i18n ui %}{% if s.contact_overdue %} {% badge _("联系代表逾期") "danger" %}{% endif %}{% if s.reply_overdue %} {% badge _("答复逾期") "danger" %}{% endif %}{% if s.is_key %} {% badge _("重点督办") "warning" %}{% endif %}
"""  # noqa: E501
ROW_JINJA = """{% macro badge(label, tone="neutral") %}<span class="badge badge-{{ tone or 'neutral' }}">{{ label }}</span>
{% endmacro %}{% set l = [_('编号'), _('标题'), _('领衔代表'), _('类别'), _('主办单位'), _('状态'), _('答复期限'), _('代表评价')] %}{% for s in rows %}<tr class="{% if s.contact_overdue or s.reply_overdue %}overdue{% endif %}">
    <td data-label="{{ l[0] }}">{{ s.session.name }} {{ s.number_label }}</td>
    <td data-label="{{ l[1] }}"><a href="{{ url('suggestions:suggestion_detail', args=[s.pk]) }}">{{ s.title }}</a>{% if s.contact_overdue %} {{ badge(_("联系代表逾期"), "danger") }}{% endif %}{% if s.reply_overdue %} {{ badge(_("答复逾期"), "danger") }}{% endif %}{% if s.is_key %} {{ badge(_("重点督办"), "warning") }}{% endif %}
</td>
    <td data-label="{{ l[2] }}">{{ s.lead_deputy.name }}</td>
    <td data-label="{{ l[3] }}">{{ label(s, 'category') }}</td>
    <td data-label="{{ l[4] }}">{{ s.lead_unit.display_name if s.lead_unit else "—" }}</td>
    <td data-label="{{ l[5] }}">{{ badge(label(s, 'status'), tones.get(s.status, "info")) }}
{% if s.reply_category %} {{ s.reply_category }}{% endif %}</td>
    <td data-label="{{ l[6] }}">{% if s.reply_due_at %}<time datetime="{{ s.reply_due_at|localtime('c') }}">{{ s.reply_due_at|localtime('Y-m-d') }}</time>{% else %}—{% endif %}</td>
    {% if may_see_verdicts %}<td data-label="{{ l[7] }}">{{ label(s, "verdict") or "—" }}</td>{% endif %}
  </tr>{% endfor %}"""  # noqa: E501


def _cpu(fn, n: int) -> float:
    fn()
    samples = []
    for _ in range(n):
        t = time.thread_time()
        fn()
        samples.append(time.thread_time() - t)
    return statistics.median(samples) * 1000


def main() -> None:
    from bench import profile

    profile.setup("bench")
    from django.template import Context, Engine
    from django.urls import reverse
    from django.utils import dateformat, timezone, translation
    from django.utils.translation import gettext

    from wulian.core.templatetags.ui import choice_label
    from wulian.suggestions import selectors
    from wulian.suggestions.models import Suggestion
    from wulian.suggestions.templatetags.suggestion_ui import TONES, suggestion_rows

    translation.activate("zh-hans")
    ids = list(Suggestion.objects.order_by("-id").values_list("id", flat=True)[:20])
    rows = list(
        Suggestion.objects.filter(pk__in=ids)
        .select_related("session", "lead_deputy", "lead_unit")
        .only(*selectors.LIST_FIELDS)
        .order_by("-id")
    )
    n = 200
    results = {}
    engine = Engine(
        loaders=[
            (
                "django.template.loaders.locmem.Loader",
                {
                    "flags.html": FLAGS_DJANGO,
                    "status_badge.html": STATUS_DJANGO,
                    "badge.html": BADGE,
                },
            )
        ],
        libraries={"ui": "bench.render_options", "i18n": "django.templatetags.i18n"},
    )
    template = engine.from_string(ROW_DJANGO)
    results["Django templates, as the ledger was (includes, per-cell translate)"] = _cpu(
        lambda: template.render(Context({"rows": rows, "may_see_verdicts": True})), n
    )
    results["Python format_html (suggestion_rows, now)"] = _cpu(
        lambda: suggestion_rows(rows, True), n
    )
    try:
        import jinja2
    except ImportError:
        results["Jinja2"] = float("nan")
    else:
        env = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
        env.install_gettext_callables(gettext, lambda s, p, n: gettext(s), newstyle=True)
        env.globals["url"] = lambda name, args=(): reverse(name, args=args)
        env.globals["label"] = choice_label  # the fast labels, as the Python rows use
        env.filters["localtime"] = lambda v, f: dateformat.format(timezone.localtime(v), f)
        jt = env.from_string(ROW_JINJA)
        results["Jinja2 (same markup, a macro for the badge, the fast labels)"] = _cpu(
            lambda: jt.render(rows=rows, may_see_verdicts=True, tones=TONES), n
        )
    print(f"20 ledger rows, CPU per render (median of {n}):")
    for label, ms in results.items():
        print(f"  {ms:6.2f} ms  {label}")


if __name__ == "__main__":
    main()
