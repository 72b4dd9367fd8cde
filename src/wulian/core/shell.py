"""The page shell's header, drawn in Python (ADR 0018, third round): what every page pays.

`{% page_header %}` in base.html writes the skip link and the `<header>`: the brand, the
navigation, the inbox link, the account menu and the language form — the same bytes the
template wrote. What is the same for every person with the same navigation in one language
(the entries' links and labels, the account menu's links, the language names) is drawn once
per process and kept by (the navigation's entries, language); per page only the current
entry (`aria-current`), the CSRF token, the page's path (the language form's `next`), the
person's name and the unread count are put in. The name and the count are read in one query.

Nothing personal is kept: the cache holds the entries' labels and links (the same for
everyone whom the rules give those entries), keyed by the entries themselves, computed per
request by `nav.entries_for`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info, gettext

from wulian.core import nav
from wulian.core.escaping import esc

_CACHE: dict[Any, Any] = {}


def _nav_parts(entries: list[dict[str, Any]], language: str) -> tuple[Any, ...]:
    """The navigation of these entries: (a prefix, the items as (url, before, after) so that
    `aria-current` goes between them, a suffix); built once per entries and language. A
    section of several entries that has a label (nav.SECTIONS) folds into a `<details>`."""
    key = ("nav", language, tuple((e["name"], e["url"], e["section"]) for e in entries))
    parts = _CACHE.get(key)
    if parts is None:
        items: list[tuple[str | None, str, str]] = []
        for section, label in nav.SECTIONS:
            members = [e for e in entries if e["section"] == section]
            folded = label is not None and len(members) > 1
            li = '<li class="admin">' if section == "admin" else "<li>"
            indent = "\n          " if folded else "\n      "
            if folded:
                items.append(
                    (
                        None,
                        f'\n      <li class="group"><details><summary>{esc(str(label))}'
                        "</summary>\n        <ul>",
                        "",
                    )
                )
            for e in members:
                url = esc(e["url"])
                items.append(
                    (e["url"], f'{indent}{li}<a href="{url}"', f">{esc(str(e['label']))}</a></li>")
                )
            if folded:
                items.append((None, "\n        </ul>\n      </details></li>", ""))
        prefix = (
            '\n  <button class="nav-toggle" type="button" aria-controls="mainnav" '
            f'aria-expanded="false">{gettext("菜单")}</button>\n'
            f'  <nav id="mainnav" class="mainnav" aria-label="{gettext("主导航")}">\n'
            "    <ul>"
        )
        suffix = "\n    </ul>\n  </nav>\n  "
        parts = _CACHE[key] = (prefix, tuple(items), suffix)
    return parts


def _fixed(language: str) -> dict[str, str]:
    """The parts of the header that depend on the language only."""
    parts = _CACHE.get(("fixed", language))
    if parts is None:
        options = []
        for code, _name in settings.LANGUAGES:
            info = get_language_info(code)
            options.append((code, esc(info["name_local"])))
        parts = _CACHE["fixed", language] = {
            "skip": f'<a class="skip" href="#main">{gettext("跳到正文")}</a>\n',
            "home": esc(reverse("core:home")),
            "login": esc(reverse("accounts:login")),
            "site": esc(str(settings.SITE_NAME)),
            "set_language": esc(reverse("set_language")),
            "lang_label": gettext("语言"),
            "switch": gettext("切换"),
            "options": options,
            "menu_label": gettext("：账号菜单"),
            "password": esc(reverse("accounts:password_change")),
            "password_label": gettext("修改密码"),
            "tokens": esc(reverse("accounts:token_list")),
            "tokens_label": gettext("API 令牌"),
            "logout": esc(reverse("accounts:logout")),
            "logout_label": gettext("退出"),
            "inbox": esc(reverse("notifications:inbox")),
            "inbox_label": gettext("消息"),
        }
    return parts


def _csrf_input(token: Any) -> str:
    if not token or token == "NOTPROVIDED":  # noqa: S105 (the csrf_token tag's marker)
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(str(token))}">'


def language_form_html(request: Any, token: Any, language: str) -> str:
    """components/language_form.html: the language switch (posts to set_language)."""
    f = _fixed(language)
    current = language
    options = "".join(
        f'<option value="{code}"{" selected" if code == current else ""}>{name}</option>'
        for code, name in f["options"]
    )
    nxt = esc(request.get_full_path()) if request is not None else ""
    return (
        f'<form action="{f["set_language"]}" method="post" class="lang">{_csrf_input(token)}\n'
        f'      <input name="next" type="hidden" value="{nxt}">\n'
        "      \n"
        f'      <label class="visually-hidden" for="lang-select">{f["lang_label"]}</label>\n'
        '      <select name="language" id="lang-select" data-autosubmit>\n'
        f"        {options}\n"
        "      </select>\n"
        f'      <noscript><button type="submit">{f["switch"]}</button></noscript>\n'
        "    </form>\n"
    )


def inbox_link_html(count: int, language: str | None = None) -> str:
    """notifications/inbox_link.html: the header's link to the inbox with the unread count."""
    f = _fixed(language or get_language() or settings.LANGUAGE_CODE)
    if not count:
        return f'<a class="inbox-link" href="{f["inbox"]}">{f["inbox_label"]}</a>\n'
    # As {% blocktranslate %} gives it: the translation as it is, the number in it.
    label = gettext("消息（%(n)s 条未读）") % {"n": count}
    shown = "99+" if count > 99 else str(count)
    return (
        f'<a class="inbox-link" href="{f["inbox"]}" aria-label="{label}">{f["inbox_label"]} '
        f'<span class="badge badge-danger" data-unread="{count}">{shown}</span></a>\n'
    )


def name_and_unread(request: Any, user: Any) -> tuple[str, int]:
    """The signed-in person's name (else the account's name) and their unread count: one
    query, or only the count when the page has read the person already."""
    from wulian.core.notifications.selectors import unread_count

    count = getattr(request, "_wulian_unread", None)
    if "person" in user._state.fields_cache or count is not None:
        person = getattr(user, "person", None) if _has_person(user) else None
        name = person.name if person is not None else ""
        if count is None:
            count = unread_count(user=user)
    else:
        name, count = _name_and_unread_sql(user.pk)
    if request is not None:
        request._wulian_unread = count
    return (name or user.get_username()), count


_SQL: list[str] = []
_NAME_AND_UNREAD = (
    "SELECT (SELECT {name} FROM {person} WHERE {user} = %s), "
    "(SELECT COUNT(*) FROM {note} WHERE {recipient} = %s AND {read_at} IS NULL)"
)


def _name_and_unread_sql(user_pk: int) -> tuple[str | None, int]:
    """One statement, written out: the ORM's building of the same query (a join and a scalar
    subquery) cost ~1 ms of CPU a page, three times the two queries it replaces; this costs
    ~0.1 ms. Two scalar subqueries (the person by its unique account; the count on the unread
    partial index), valid on SQLite and PostgreSQL."""
    from wulian.core.models import Person
    from wulian.core.notifications.models import Notification

    if not _SQL:
        q = connection.ops.quote_name
        person, note = Person._meta, Notification._meta
        _SQL.append(  # names from the models' meta, the values as parameters
            _NAME_AND_UNREAD.format(
                name=q(person.get_field("name").column),
                person=q(person.db_table),
                user=q(person.get_field("user").column),
                note=q(note.db_table),
                recipient=q(note.get_field("recipient").column),
                read_at=q(note.get_field("read_at").column),
            )
        )
    with connection.cursor() as cursor:
        cursor.execute(_SQL[0], [user_pk, user_pk])
        name, count = cursor.fetchone()
    return name, int(count or 0)


def _has_person(user: Any) -> bool:
    try:
        return user.person is not None
    except Exception:  # RelatedObjectDoesNotExist: an account without a person
        return False


def header_html(context: Any) -> SafeString:
    """The skip link and the `<header>` of base.html, byte for byte."""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    language = get_language() or settings.LANGUAGE_CODE
    f = _fixed(language)
    token = context.get("csrf_token")
    signed_in = user is not None and user.is_authenticated
    out = [
        f["skip"],
        '<header class="topbar">\n',
        f'  <div class="brand"><a href="{f["home"] if signed_in else f["login"]}">'
        f"{esc(str(context.get('site_name', '')))}</a></div>\n  ",
    ]
    entries = context.get("nav_entries")
    if entries:
        prefix, items, suffix = _nav_parts(entries, language)
        path = request.path if request is not None else None
        out.append(prefix)
        for url, before, after in items:
            out.append(before)
            if url is not None:
                out.append(' aria-current="page"' if path == url else "")
            out.append(after)
        out.append(suffix)
    out.append('\n  <div class="tools">\n    ')
    if signed_in:
        name, count = name_and_unread(request, user)
        out.append(
            "\n    " + inbox_link_html(count, language) + '\n    <details class="account-menu">\n'
            f'      <summary><span class="who">{esc(name)}</span>'
            f'<span class="visually-hidden">{f["menu_label"]}</span></summary>\n'
            '      <div class="menu">\n        '
            + language_form_html(request, token, language)
            + f'\n        <a href="{f["password"]}">{f["password_label"]}</a>\n'
            f'        <a href="{f["tokens"]}">{f["tokens_label"]}</a>\n'
            f'        <form action="{f["logout"]}" method="post" class="inline">'
            f'{_csrf_input(token)}<button type="submit" class="link">{f["logout_label"]}'
            "</button></form>\n"
            "      </div>\n"
            "    </details>\n    "
        )
    else:
        out.append("\n    " + language_form_html(request, token, language) + "\n    ")
    out.append("\n  </div>\n</header>")
    return mark_safe("".join(out))  # noqa: S308 (each value escaped above)
