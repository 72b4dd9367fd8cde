"""The holiday calendar through the API (system administrator, `deadlines.calendar.manage`):
the same forms, services and refusals as the calendar page (issue 12).

- `POST /api/v1/calendar/days/` adds a holiday or a make-up working day (the page's
  `CalendarDayForm` as the body): 201 and the day;
- `POST /api/v1/calendar/days/{id}/remove/` removes it: 200 and the day as it was;
- `POST /api/v1/calendar/years/{year}/complete/` marks a year complete; where the page asks
  for the “确认标记完整” box, the API needs `"confirm": true` (without it: 400, `confirm`
  named, code `confirmation_needed`);
- `POST /api/v1/calendar/years/{year}/import/` imports a year from the installed
  `chinesecalendar` package (no body, as on the page)."""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.api.readonly import read_only
from wulian.api.schema import problem_responses
from wulian.core import access, steps
from wulian.core.deadlines import services
from wulian.core.deadlines.forms import CalendarDayForm
from wulian.core.deadlines.models import CalendarDay, CalendarYear
from wulian.core.errors import ValidationFailed

MANAGE = "deadlines.calendar.manage"
_YEAR = OpenApiParameter(
    "year", {"type": "integer", "minimum": 2000, "maximum": 2100}, OpenApiParameter.PATH
)
_ID = OpenApiParameter(
    "id", {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}, OpenApiParameter.PATH
)


CalendarDaySerializer = read_only(
    "CalendarDaySerializer",
    CalendarDay,
    ["id", "date", "kind", "name", "year"],
    year=serializers.IntegerField(source="date.year", read_only=True),
)


CalendarYearSerializer = read_only(
    "CalendarYearSerializer", CalendarYear, ["year", "complete", "source", "completed_at"]
)


class CompleteForm(forms.Form):
    """The page's “确认标记完整” box."""

    confirm = forms.BooleanField(label=_("确认标记完整"), required=False)


class _Calendar(APIView):
    wulian_policy = MANAGE

    @staticmethod
    def actor(request: Request) -> access.Actor:
        return access.actor_for(request.user)


class CalendarDayAdd(_Calendar):
    """Add a holiday or a make-up working day."""

    @extend_schema(
        operation_id="calendar_days_add",
        summary="Add a holiday or make-up working day to the calendar (节假日)",
        tags=["calendar"],
        request={"application/json": steps.request_schema(CalendarDayForm)},
        responses={201: CalendarDaySerializer, **problem_responses(400, 401, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        form = steps.api_form(lambda data: CalendarDayForm(data), request.data)
        d = form.cleaned_data
        day = services.calendar_day_add(
            actor=self.actor(request), day=d["day"], kind=d["kind"], name=d["name"]
        )
        return Response(CalendarDaySerializer(day).data, status=status.HTTP_201_CREATED)


class CalendarDayRemove(_Calendar):
    """Remove a day from the calendar."""

    @extend_schema(
        operation_id="calendar_days_remove",
        summary="Remove a day from the calendar (删除节假日)",
        tags=["calendar"],
        parameters=[_ID],
        request=None,
        responses={200: CalendarDaySerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        entry = CalendarDay.objects.filter(pk=pk).first()
        if entry is None:
            raise Http404
        answer = CalendarDaySerializer(entry).data
        services.calendar_day_remove(actor=self.actor(request), day_id=entry.pk)
        return Response(answer)


class CalendarYearComplete(_Calendar):
    """Mark a year complete (`confirm: true` where the page asks for confirmation)."""

    @extend_schema(
        operation_id="calendar_years_complete",
        summary="Mark a calendar year complete (标记完整); unusual years need confirm: true",
        tags=["calendar"],
        parameters=[_YEAR],
        request={"application/json": steps.request_schema(CompleteForm)},
        responses={200: CalendarYearSerializer, **problem_responses(400, 401, 403, 409)},
    )
    def post(self, request: Request, year: int) -> Response:
        data = request.data
        if isinstance(data, dict) and not isinstance(data.get("confirm", False), bool):
            # A confirmation is said in so many words: true, not any text that reads as one.
            raise ValidationFailed(
                _g("请求有误，请按提示更正。"),
                field_errors={"confirm": [_g("应为 true 或 false。")]},
            )
        form = steps.api_form(lambda data: CompleteForm(data), data)
        entry = services.calendar_year_complete(
            actor=self.actor(request), year=year, confirm=form.cleaned_data["confirm"]
        )
        return Response(CalendarYearSerializer(entry).data)


class CalendarYearImport(_Calendar):
    """Import a year from the installed chinesecalendar package."""

    @extend_schema(
        operation_id="calendar_years_import",
        summary="Import a calendar year from the chinesecalendar package (导入)",
        tags=["calendar"],
        parameters=[_YEAR],
        request=None,
        responses={200: CalendarYearSerializer, **problem_responses(400, 401, 403, 409)},
    )
    def post(self, request: Request, year: int) -> Response:
        entry = services.calendar_year_import(actor=self.actor(request), year=year)
        return Response(CalendarYearSerializer(entry).data)
