"""The page shell's header is drawn in Python (core.shell, ADR 0018 third round): it must be
byte for byte what base.html's template wrote — navigation (with the current entry), the
inbox link with its unread count (none, a few, more than 99), the account menu with the
person's name (escaped) or the account's name, the language form, signed out — and read the
name and the count in one query."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.factories import OrganisationFactory, UserFactory, account
from wulian.core import access, nav
from wulian.core.choices import Role
from wulian.core.notifications.models import Notification
from wulian.core.shell import header_html

pytestmark = pytest.mark.django_db

# base.html's header as it was, the two includes and the inclusion tag written in place (each
# included file ended with a line end); the navigation since its sections fold into groups.
LANGUAGE_FORM = (
    "{% get_current_language as LANGUAGE_CODE %}<form action=\"{% url 'set_language' %}\" "
    'method="post" class="lang">{% csrf_token %}\n'
    '      <input name="next" type="hidden" value="{{ request.get_full_path }}">\n'
    "      {% get_available_languages as LANGUAGES %}"
    "{% get_language_info_list for LANGUAGES as language_list %}\n"
    '      <label class="visually-hidden" for="lang-select">{% translate "语言" %}</label>\n'
    '      <select name="language" id="lang-select" data-autosubmit>\n'
    '        {% for lang in language_list %}<option value="{{ lang.code }}"'
    "{% if lang.code == LANGUAGE_CODE %} selected{% endif %}>{{ lang.name_local }}</option>"
    "{% endfor %}\n"
    "      </select>\n"
    '      <noscript><button type="submit">{% translate "切换" %}</button></noscript>\n'
    "    </form>\n"
)
INBOX_LINK = (
    '<a class="inbox-link" href="{% url \'notifications:inbox\' %}"{% if count %} '
    'aria-label="{% blocktranslate with n=count %}消息（{{ n }} 条未读）{% endblocktranslate %}"'
    '{% endif %}>{% translate "消息" %}{% if count %} <span class="badge badge-danger" '
    'data-unread="{{ count }}">{% if count > 99 %}99+{% else %}{{ count }}{% endif %}</span>'
    "{% endif %}</a>\n"
)
OLD_HEADER = """<a class="skip" href="#main">{% translate "跳到正文" %}</a>
<header class="topbar">
  <div class="brand"><a href="{% if user.is_authenticated %}{% url 'core:home' %}{% else %}{% url 'accounts:login' %}{% endif %}">{{ site_name }}</a></div>
  {% if nav_entries %}
  <button class="nav-toggle" type="button" aria-controls="mainnav" aria-expanded="false">{% translate "菜单" %}</button>
  <nav id="mainnav" class="mainnav" aria-label="{% translate '主导航' %}">
    <ul>{% for s in nav_sections %}{% if s.folded %}
      <li class="group"><details><summary>{{ s.label }}</summary>
        <ul>{% for entry in s.entries %}
          <li{% if s.admin %} class="admin"{% endif %}><a href="{{ entry.url }}"{% if request.path == entry.url %} aria-current="page"{% endif %}>{{ entry.label }}</a></li>{% endfor %}
        </ul>
      </details></li>{% else %}{% for entry in s.entries %}
      <li{% if s.admin %} class="admin"{% endif %}><a href="{{ entry.url }}"{% if request.path == entry.url %} aria-current="page"{% endif %}>{{ entry.label }}</a></li>{% endfor %}{% endif %}{% endfor %}
    </ul>
  </nav>
  {% endif %}
  <div class="tools">
    {% if user.is_authenticated %}
    INBOX_LINK
    <details class="account-menu">
      <summary><span class="who">{{ user.person.name|default:user.get_username }}</span><span class="visually-hidden">{% translate "：账号菜单" %}</span></summary>
      <div class="menu">
        LANGUAGE_FORM
        <a href="{% url 'accounts:password_change' %}">{% translate "修改密码" %}</a>
        <a href="{% url 'accounts:token_list' %}">{% translate "API 令牌" %}</a>
        <form action="{% url 'accounts:logout' %}" method="post" class="inline">{% csrf_token %}<button type="submit" class="link">{% translate "退出" %}</button></form>
      </div>
    </details>
    {% else %}
    LANGUAGE_FORM
    {% endif %}
  </div>
</header>"""  # noqa: E501 (the template's lines as they were)
OLD = Template(
    "{% load i18n %}"
    + OLD_HEADER.replace("INBOX_LINK", INBOX_LINK).replace("LANGUAGE_FORM", LANGUAGE_FORM)
)


def _sections(entries: list[dict]) -> list[dict]:
    """The navigation's sections as the template reads them: a labelled section of several
    entries folds into a group."""
    sections = []
    for name, label in nav.SECTIONS:
        members = [e for e in entries if e["section"] == name]
        if members:
            folded = label is not None and len(members) > 1
            sections.append(
                {"label": label, "folded": folded, "admin": name == "admin", "entries": members}
            )
    return sections


def _context(user, path: str) -> dict:
    request = RequestFactory().get(path)
    request.user = user
    actor = access.actor_for(user)
    entries = nav.entries_for(actor) if actor.is_authenticated else []
    return {
        "request": request,
        "user": user,
        "site_name": "联合监督 <平台>",
        "nav_entries": entries,
        "nav_sections": _sections(entries),
        "csrf_token": "tok&en",
    }


def _both(user, path: str, count: int = 0) -> tuple[str, str]:
    ctx = _context(user, path)
    old = OLD.render(Context({**ctx, "count": count}))
    ctx["request"] = RequestFactory().get(path)
    ctx["request"].user = user
    if user.is_authenticated:
        user = type(user).objects.get(pk=user.pk)  # the person not read yet, as on a page
        ctx["user"] = user
    new = header_html(Context(ctx))
    return old, str(new)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("unread", [0, 3, 120])
def test_the_header_is_what_the_template_wrote(language: str, unread: int) -> None:
    office = OrganisationFactory(kind="congress_body", name="人大 & 办公室")
    staff = account(office, Role.STAFF, name='王 "<芳>"')
    admin = account(office, Role.SYSTEM_ADMIN)
    for user in (staff, admin):
        Notification.objects.bulk_create(
            Notification(recipient=user, kind="k", title="t") for _ in range(unread)
        )
        entries = nav.entries_for(access.actor_for(user))
        assert entries
        paths = [*[str(e["url"]) for e in entries][:3], "/?q=<x>&y=1", "/nowhere/"]
        with translation.override(language):
            for path in paths:
                old, new = _both(user, path, unread)
                assert new == old


def test_signed_out_and_without_a_person() -> None:
    old, new = _both(AnonymousUser(), "/accounts/login/?next=/a&b")
    assert new == old
    user = UserFactory(username="no<person>")
    old, new = _both(user, "/")
    assert new == old and "no&lt;person&gt;" in new


def test_name_and_count_in_one_query() -> None:
    user = account(OrganisationFactory(), Role.STAFF)
    Notification.objects.create(recipient=user, kind="k", title="t")
    ctx = _context(type(user).objects.get(pk=user.pk), "/")
    access.actor_for(ctx["user"])
    with CaptureQueriesContext(__import__("django.db").db.connection) as queries:
        html = header_html(Context(ctx))
    assert len(queries) == 1
    assert 'data-unread="1"' in html


def test_the_actors_seats_written_out_are_the_orms_rows() -> None:
    """access._seat_rows (a written-out statement, every request) gives the rows the ORM
    query it replaced gave: active seats of an active person in active organisations, in the
    order given."""
    from wulian.core.access import _seat_rows
    from wulian.core.models import Membership

    def orm(user):
        return [
            tuple(r)
            for r in Membership.objects.filter(
                person__user=user,
                is_active=True,
                person__is_active=True,
                organisation__is_active=True,
            )
            .values_list("person_id", "organisation_id", "organisation__kind", "role")
            .order_by("id")
        ]

    a, b, c = (
        OrganisationFactory(),
        OrganisationFactory(kind="congress_body"),
        OrganisationFactory(),
    )
    user = account(a, Role.STAFF)
    person = user.person
    Membership.objects.create(person=person, organisation=b, role=Role.LEADER)
    Membership.objects.create(person=person, organisation=c, role=Role.LIAISON, is_active=False)
    lone = UserFactory()
    assert [tuple(r) for r in _seat_rows(user.pk)] == orm(user) and len(orm(user)) == 2
    assert list(_seat_rows(lone.pk)) == orm(lone) == []
    b.is_active = False
    b.save(update_fields=["is_active"])
    assert [tuple(r) for r in _seat_rows(user.pk)] == orm(user) and len(orm(user)) == 1
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert list(_seat_rows(user.pk)) == orm(user) == []


def test_what_a_signed_in_page_pays_in_queries(personas, django_assert_num_queries) -> None:
    """The shell of a signed-in page: the session, the account, the actor's seats, the
    header's name and count — one query fewer than before ADR 0018's third round (the name
    and the count were two)."""
    from tests.personas import client_for

    for user, shell in ((personas.unit_a, 4), (personas.congress_clerk, 4)):
        client = client_for(user)
        assert client.get("/accounts/password/").status_code == 200
        with django_assert_num_queries(shell):
            response = client.get("/accounts/password/")
        assert response.status_code == 200
        assert 'class="who"' in response.content.decode()


def test_the_navigation_folds_each_labelled_section_of_several_entries() -> None:
    """Top entries stay in the bar; the links' ledgers, the shared work and the administration
    fold into one group each (a <details>); a group of one entry is that entry alone."""
    clerk = account(OrganisationFactory(kind="congress_body"), Role.STAFF)
    ctx = _context(clerk, "/suggestions/")
    html = header_html(Context(ctx))
    names = [e["name"] for e in ctx["nav_entries"]]
    assert names[0] == "core:home"
    assert "<summary>五联</summary>" in html and "<summary>协同工作</summary>" in html
    five = html.split("<summary>五联</summary>")[1].split("</details>")[0]
    assert '<a href="/suggestions/" aria-current="page">代表建议</a>' in five
    assert "司法监督" in five and "整改台账" not in five
    shared = html.split("<summary>协同工作</summary>")[1].split("</details>")[0]
    assert "整改台账" in shared and "活动" in shared
    # Outside any group, before the first one: 我的待办.
    assert html.index("我的待办") < html.index("<summary>五联</summary>")
    # The audit administrator's one administration entry is not folded into a group of one.
    auditor = account(OrganisationFactory(), Role.AUDIT_ADMIN)
    ctx = _context(auditor, "/")
    admin_entries = [e for e in ctx["nav_entries"] if e["section"] == "admin"]
    assert len(admin_entries) == 1
    html = header_html(Context(ctx))
    url = admin_entries[0]["url"]
    assert "系统管理" not in html and f'<li class="admin"><a href="{url}"' in html
