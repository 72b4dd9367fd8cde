"""The steps taken on people and their seats, declared once: the person and grant pages' forms
and `POST /api/v1/<records>/{id}/<step>/` are made from them (wulian.core.steps, ADR 0017).

- a membership is ended by whoever may grant its role (`core.membership.end`);
- a grant of a CDI-side role is confirmed by a second person — a CDI leader or clue officer,
  neither its proposer nor the person granted — or refused, with a reason (docs/adr/0014: the
  two-person rule is the access rule `core.membership.confirm`, checked on the grant);
- the system administrator sets a person's deputy, expert and integrity-monitor profiles.

Not steps, and why: creating an organisation or a person acts on no existing record (the API
has `POST /organisations/` and `POST /people/`); editing one is a form page of its own whose
API twin is `PATCH /organisations/{id}/`, `PATCH /people/{id}/` (the record's own fields, with
`version`); adding a membership is `POST /memberships/` with the person in the body, answering
201 with the membership or 202 with a grant waiting for confirmation — a shape the declared
answer (the record re-read) cannot give, so its page form and its API stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wulian.api.readonly import read_only
from wulian.api.serializers import (
    MembershipDetailSerializer,
    PersonSerializer,
    RoleGrantSerializer,
)
from wulian.core import selectors, services, steps
from wulian.core.forms import (
    DeputyProfileForm,
    ExpertProfileForm,
    GrantRefuseForm,
    IntegrityMonitorProfileForm,
    NoInput,
)
from wulian.core.models import (
    DeputyProfile,
    ExpertProfile,
    IntegrityMonitorProfile,
    Membership,
    Person,
    RoleGrant,
)
from wulian.core.steps import RecordBinding, Step
from wulian.core.viewpolicy import policy

# --- Memberships ----------------------------------------------------------------------------

steps.record(
    RecordBinding(
        model=Membership,
        queryset=lambda: Membership.objects.select_related("organisation", "person"),
        # Seen by whoever sees the person; outside that, through the API, a 404.
        view_action="core.person.view",
        view_of=lambda m: m.person,
        url=lambda m: reverse("core:person_detail", args=[m.person_id]),
        api_path="memberships",
        api_name="membership",
        response=MembershipDetailSerializer,
    )
)

steps.declare(
    Step(
        model=Membership,
        name="end",
        url_name="membership_end",
        action="core.membership.end",
        form=NoInput,
        service=services.membership_end,
        done=_("已终止该任职。"),
        summary="End a membership (终止任职): whoever may grant the role ends it",
    ),
)

# --- Grants of CDI-side roles (docs/adr/0014) -----------------------------------------------


def _grant_invalid(
    request: Any, grant: RoleGrant, step: Step, form: Any, *, status: int, error: str = ""
) -> Any:
    """A refusal's reason is shown again on the grant list with its error; a confirmation
    that cannot be made (decided meanwhile) is explained above the list."""
    if step.name == "refuse":
        from wulian.core.views import grant_page

        return grant_page(request, forms={grant.pk: form}, status=status)
    messages.error(request, error)
    return redirect("core:grant_list")


steps.record(
    RecordBinding(
        model=RoleGrant,
        queryset=lambda: RoleGrant.objects.select_related("person", "organisation"),
        view_action="core.membership.review",
        url=lambda g: reverse("core:grant_list"),
        invalid=_grant_invalid,
        api_path="role-grants",
        api_name="role-grant",
        id_arg="grant_id",
        response=RoleGrantSerializer,
    )
)

grant = steps.on(RoleGrant, url_prefix="grant_")

steps.declare(
    grant(
        "confirm",
        action="core.membership.confirm",
        form=NoInput,
        service=services.role_grant_confirm,
        done=_("授权已确认，任职即时生效。"),
        summary="Confirm a pending grant (确认授权): a CDI leader or clue officer, neither the "
        "proposer nor the person granted; the membership starts now (the answer's `membership`)",
    ),
    grant(
        "refuse",
        action="core.membership.refuse",
        form=GrantRefuseForm,
        form_prefix=lambda g: f"g{g.pk}",
        service=services.role_grant_refuse,
        done=_("已不予确认该授权。"),
        summary="Refuse a pending grant with a reason (不予确认授权), or withdraw it (the "
        "security administrator)",
    ),
)

# --- A person's profiles: deputy, expert, integrity monitor ---------------------------------


_DeputyOut = read_only(
    "_DeputyOut",
    DeputyProfile,
    ["certificate_no", "level", "delegation", "liaison_station", "term"],
)


_ExpertOut = read_only(
    "_ExpertOut", ExpertProfile, ["category", "specialties", "employer", "law_firm", "is_active"]
)


_MonitorOut = read_only(
    "_MonitorOut", IntegrityMonitorProfile, ["appointed_by", "appointed_on", "area"]
)


class PersonProfilesOut(PersonSerializer):
    """A person as `GET /people/{id}/` shows them, with the profiles the steps set."""

    deputy = _DeputyOut(read_only=True, allow_null=True)
    expert = _ExpertOut(read_only=True, allow_null=True)
    integrity_monitor = _MonitorOut(read_only=True, allow_null=True)

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "deputy", "expert", "integrity_monitor"]
        read_only_fields = fields


def _person_out(person: Person, actor: Any) -> dict[str, Any]:
    # A profile not set is null (DRF reads a missing one-to-one as None).
    return PersonProfilesOut(selectors.person_detail(actor=actor, person_id=person.pk)).data


# The profile steps, named as the person's profiles (`person.deputy`), and their pages' titles.
PROFILES: dict[str, Any] = {
    "deputy": _("代表信息"),
    "expert": _("专家信息"),
    "integrity_monitor": _("清廉监督员信息"),
}


def profile_page(request: Any, person: Person, step: Step, form: Any, status: int = 200) -> Any:
    return render(
        request,
        "core/profile_form.html",
        {"form": form, "person": person, "title": PROFILES[step.name]},
        status=status,
    )


steps.record(
    RecordBinding(
        model=Person,
        queryset=lambda: Person.objects.all(),
        view_action="core.person.view",
        url=lambda p: reverse("core:person_detail", args=[p.pk]),
        invalid=lambda request, p, step, form, *, status, error="": profile_page(
            request, p, step, form, status
        ),
        api_path="people",
        api_name="person",
        serialize=_person_out,
        response=PersonProfilesOut,
    )
)


def _saved(kind: str) -> Callable[[Any], str]:
    return lambda result: gettext("%(title)s已保存。") % {"title": PROFILES[kind]}


person = steps.on(Person, action="core.person.manage")

steps.declare(
    person(
        "deputy",
        url_name="person_deputy_edit",
        form=DeputyProfileForm,
        call=steps.with_data(services.deputy_profile_set, DeputyProfileForm),
        done=_saved("deputy"),
        summary="Set a person's deputy profile (人大代表信息): the system administrator",
    ),
    person(
        "expert",
        url_name="person_expert_edit",
        form=ExpertProfileForm,
        call=steps.with_data(services.expert_profile_set, ExpertProfileForm),
        done=_saved("expert"),
        summary="Set a person's expert profile (评查专家信息): the system administrator",
    ),
    person(
        "integrity_monitor",
        url_name="person_monitor_edit",
        form=IntegrityMonitorProfileForm,
        call=steps.with_data(services.integrity_monitor_profile_set, IntegrityMonitorProfileForm),
        done=_saved("integrity_monitor"),
        summary="Set a person's integrity-monitor profile (清廉监督员信息): the system "
        "administrator",
    ),
)


# --- The profile pages: GET shows the form, POST is the declared step --------------------------


def _profile_door(name: str) -> Callable[..., HttpResponse]:
    """A person's profile page: GET shows its form, POST is the declared step
    (the same step as `POST /api/v1/people/{id}/<profile>/`)."""
    step = next(s for s in steps.steps_of(Person) if s.name == name)
    take = steps.page_view(step)

    @policy(step.action)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        if request.method == "POST":
            return take(request, pk)
        person = get_object_or_404(Person, pk=pk)
        form = step.form(instance=getattr(person, name, None))
        return profile_page(request, person, step, form)

    view.__name__ = view.__qualname__ = f"person_{name}_edit"
    view.wulian_step = step  # type: ignore[attr-defined]
    return view


person_deputy_edit = _profile_door("deputy")
person_expert_edit = _profile_door("expert")
person_monitor_edit = _profile_door("integrity_monitor")
