"""Pages of notifications: the inbox, preferences, delivery problems and group robots."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wulian.core.errors import DomainError
from wulian.core.notifications import selectors, services
from wulian.core.notifications.forms import (
    WebhookTargetForm,
    apply_errors,
    field_name,
    parse_preferences,
)
from wulian.core.notifications.models import PROBLEM_STATUSES, OutboxStatus, WebhookTarget
from wulian.core.paging import paginate, query_without_page
from wulian.core.viewpolicy import policy

# --- The inbox ------------------------------------------------------------------------------


@policy("notifications.inbox.view")
def inbox(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.inbox(actor=request.actor))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "query": query_without_page(request)},
    )


@policy("notifications.inbox.view")
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read; with `open`, go on to the page it is about."""
    if request.POST.get("open"):
        notification = services.notification_for_opening(actor=request.actor, notification_id=pk)
        target = notification.url if notification is not None else ""
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(target)
    else:
        services.notification_mark_read(actor=request.actor, notification_id=pk)
    return redirect(_back(request, "notifications:inbox"))


@policy("notifications.inbox.view")
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    n = services.notification_mark_all_read(actor=request.actor)
    if n:
        messages.success(request, _("已将 %(n)d 条消息标为已读。") % {"n": n})
    return redirect("notifications:inbox")


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, remembering a signed-in person's choice for his e-mails."""
    from django.views.i18n import set_language as django_set_language

    response = django_set_language(request)
    if request.method == "POST":
        services.reader_language_set(user=request.user, language=request.POST.get("language", ""))
    return response


def _back(request: HttpRequest, url_name: str) -> str:
    """The list page the form was posted from (its status filter and page number)."""
    url = reverse(url_name)
    posted = QueryDict(request.POST.get("query", ""))
    keep = {k: posted[k] for k in ("status", "page") if posted.get(k, "").isalnum()}
    return f"{url}?{urlencode(keep)}" if keep else url


# --- Preferences ----------------------------------------------------------------------------


@policy("notifications.preference.manage")
def preferences(request: HttpRequest) -> HttpResponse:
    rows = selectors.preference_rows(actor=request.actor)
    status = 200
    if request.method == "POST":
        try:
            services.preferences_save(
                actor=request.actor, choices=parse_preferences(request.POST, rows)
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status
        else:
            messages.success(request, _("消息设置已保存。"))
            return redirect("notifications:preferences")
    grid = [
        {
            "row": row,
            "cells": [(cell, field_name(row.prefix, cell.channel)) for cell in row.cells],
        }
        for row in rows
    ]
    channels = rows[0].cells if rows else []
    return render(
        request,
        "notifications/preferences.html",
        {"grid": grid, "channels": channels},
        status=status,
    )


# --- Delivery problems (the system administrator) -------------------------------------------


@policy("notifications.outbox.manage")
def outbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    page = paginate(request, selectors.outbox_problems(actor=request.actor, status=status))
    summary = selectors.outbox_summary(actor=request.actor)
    return render(
        request,
        "notifications/outbox.html",
        {
            "page": page,
            "query": query_without_page(request),
            "summary": summary,
            "summary_rows": [(s.label, summary.counts.get(s, 0)) for s in PROBLEM_STATUSES],
            "pending_count": summary.counts.get(OutboxStatus.PENDING, 0),
            "status": status,
            "statuses": [(s.value, s.label) for s in PROBLEM_STATUSES],
        },
    )


_OUTBOX_ACTIONS = {
    "retry": (services.outbox_retry, gettext_lazy("已安排重发，将在下一轮投递时发送。")),
    "drop": (services.outbox_drop, gettext_lazy("已放弃该条消息，不会再发送。")),
}


@policy("notifications.outbox.manage")
@require_POST
def outbox_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in _OUTBOX_ACTIONS:
        return render(request, "errors/error.html", {"status": 404}, status=404)
    fn, done = _OUTBOX_ACTIONS[action]
    try:
        fn(actor=request.actor, message_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, str(done))
    return redirect(_back(request, "notifications:outbox"))


# --- Group robots (the system administrator) ------------------------------------------------


@policy("notifications.webhook.manage")
def webhook_list(request: HttpRequest) -> HttpResponse:
    targets = list(selectors.webhook_targets(actor=request.actor))
    for target in targets:
        target.display_url = services.masked_url(target.url)
    return render(request, "notifications/webhook_list.html", {"targets": targets})


def _webhook_form(request: HttpRequest, target: WebhookTarget | None) -> HttpResponse:
    bound = request.POST if request.method == "POST" else None
    form = (
        WebhookTargetForm(bound, instance=target) if bound else WebhookTargetForm(instance=target)
    )
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            try:
                if target is None:
                    services.webhook_target_create(actor=request.actor, data=form.to_data())
                else:
                    services.webhook_target_update(
                        actor=request.actor,
                        target_id=target.pk,
                        version=form.cleaned_data.get("version") or 0,
                        data=form.to_data(),
                    )
            except DomainError as exc:
                apply_errors(form, exc)
                status = exc.status
            else:
                messages.success(request, _("群机器人已保存。"))
                return redirect("notifications:webhook_list")
    return render(
        request,
        "notifications/webhook_form.html",
        {"form": form, "target": target},
        status=status,
    )


@policy("notifications.webhook.manage")
def webhook_create(request: HttpRequest) -> HttpResponse:
    return _webhook_form(request, None)


@policy("notifications.webhook.manage")
def webhook_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _webhook_form(request, get_object_or_404(WebhookTarget, pk=pk))


@policy("notifications.webhook.manage")
@require_POST
def webhook_test(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(WebhookTarget, pk=pk)
    try:
        services.webhook_target_test(actor=request.actor, target_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("测试消息已排队，将在十秒左右发出；如未收到，请在“消息投递”中查看原因。")
        )
    return redirect("notifications:webhook_list")
