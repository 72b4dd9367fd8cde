"""One declaration per state change: a step is declared once, beside its service, and its
record page's POST handler, its API action and its OpenAPI entry are made from it.

A step says what a person does to a record — nothing more::

    steps.declare(
        Step(
            model=Deadline,
            name="pause",
            action="deadlines.deadline.manage",
            form=PauseForm,
            call=lambda actor, d, data: services.deadline_pause(
                actor=actor, deadline_id=d.pk, version=data["version"], reason=data["reason"]
            ),
            done=_("已暂停计时。恢复计时后，截止时间将顺延暂停的时间。"),
            summary="Pause the clock (暂停计时)",
        ),
    )

and each kind of record says once how its page and its API find and show it
(`steps.record(RecordBinding(...))`). From the two come:

- the page's POST handler (`page_view(step)`, routed by `page_urls(model)`): sign-in, the step's
  action on the record, the form, the service, a success message that says what happens next —
  or the record page again with the errors on the form and the status of the domain error;
- the API action (`api_urls(model)`): `POST /api/v1/<records>/{id}/<step>/` with the same form
  as its body (JSON, or multipart where the form takes files), the same check on the same
  record (outside the caller's scope: 404), problem+json errors, the record (or the step's
  result) as the answer, and its OpenAPI entry (request schema from the form's fields);
- the registry (`declared()`), which the route-matrix test walks to prove both doors exist and
  are guarded alike.

A few options say what differs from that default: `answer`/`answer_schema` (the API answers
the record the step made, a supervision order, with `api_status=201`), `lands` (the page then
leads to that record), `page`/`button` (a step taken on a page of its own — texts to approve
with their preview: GET shows it, a POST without the button only previews), and a form
field's `json_schema` (how the API reads a field the form parses itself).

The declaration holds no logic: services stay where the logic is (ADR 0017).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db import models
from django.db.models import QuerySet
from django.forms.fields import BaseTemporalField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wulian.core import access
from wulian.core.errors import ConfirmationNeeded, DomainError, ValidationFailed
from wulian.core.formkit import apply_errors
from wulian.core.viewpolicy import policy

Call = Callable[[access.Actor, Any, dict[str, Any]], Any]
ID_MAX = 10**18 - 1  # the largest record id the API takes (as its path parameters)
CONFIRM = "confirm"  # the field an irreversible step's confirmation is given in


def confirm_field(text: str | Promise) -> forms.BooleanField:
    """The required box of an irreversible step: its label says what cannot be undone."""
    return forms.BooleanField(
        label=_("我已知晓：%(what)s") % {"what": text},
        required=True,
        error_messages={"required": _("此操作不可撤销，请确认后再提交。")},
    )


@dataclass(frozen=True, kw_only=True)
class Step:
    """A state change a person makes on a record, as the page and the API offer it."""

    model: type[models.Model]
    name: str  # "pause": the page's URL name suffix and the API's path segment ("send-back")
    action: str  # the access policy's action code, checked on the record
    form: type[forms.Form]  # the input, for the page and for the API body alike
    # The service it calls: `service` is called with the actor, the record's id (the binding's
    # `id_arg`) and the form's fields as keywords (a chosen record `unit` as `unit_id`, several
    # as `unit_ids`); `call` instead, where the service's arguments are not the form's fields:
    # (actor, record, cleaned data) → the service's result.
    service: Callable[..., Any] | None = None
    call: Call | None = None
    done: str | Promise | Callable[[Any], str]  # the success message: what happens next
    # What happens next, to whom and by when, read from the record after the step (the
    # service's result) and added to `done`: "请在48小时内联系领衔代表王某（截止12月8日 22:07）".
    # Said once per kind of record (a suggestion's steps share one), never per view.
    then: Callable[[Any], str] | None = None
    summary: str  # the OpenAPI summary (English, with the Chinese name)
    url_name: str = ""  # the page route's name, when it is not the step's name
    page_path: str = ""  # the page route below the record's, when it is not "<name>/"
    form_prefix: Callable[[Any], str] | None = None  # the page's form prefix for a record
    # What the form needs besides the data (the record's participants, the person's choices):
    # (actor, record) → keyword arguments, for the page and the API alike.
    form_kwargs: Callable[[access.Actor, Any], dict[str, Any]] | None = None
    anchor: str = ""  # where on the record page the person lands after the step ("#records")
    # The API's path segment, when it is not the name's ("abort/confirm"), and the status of its
    # answer (201 where the step adds something to the record: a witness's input).
    api_segment: str = ""
    api_status: int = 200
    # What this step's rule is checked on, when not the binding's `guard` (a draw's organiser
    # steps are decided under its batch's rules, its witness steps under the draw's).
    guard: Callable[[Any], Any] | None = None
    # The API's answer, when not the record re-read: (the service's result, actor) → the body
    # (the record the step made: a supervision order, a registered opinion), with its OpenAPI
    # schema `answer_schema` (a serializer or a JSON schema).
    answer: Callable[[Any, access.Actor], Any] | None = None
    answer_schema: Any = None
    # Where the page leads after the step, when not the record's page: (the service's result)
    # → URL (the page of the record the step made: a follow-up visit's activity).
    lands: Callable[[Any], str] | None = None
    # A step taken on a page of its own rather than on its record's page (a reviewer's score
    # sheet, an edit page, texts to approve with their preview): `page(request, record, form,
    # status)` renders that page; a GET of the step's page route shows it (`form` None: the
    # page makes its blank form), a refused POST shows it again with the errors. `button`: the
    # name of the submit button that takes the step; a POST without it changes nothing and
    # shows the page with what was typed (a preview, 200; 400 with the errors).
    page: Callable[..., HttpResponse] | None = None
    button: str = ""
    # A step whose result is shown once on a page of its own rather than kept (fresh slip
    # codes to print): `shows(request, record, result)` answers the page's POST instead of
    # leading back to the record.
    shows: Callable[[HttpRequest, Any, Any], HttpResponse] | None = None
    # An irreversible step (会签并联合交办, 移送纪委监委, 谢绝, running a draw): what cannot be
    # undone, said before it is taken. The form gains a required `confirm` box: on the page a
    # POST without it shows a confirmation page with this text (no JavaScript needed) whose
    # button posts the same input again, confirmed; the API needs `"confirm": true` in the body
    # (without it: 400 naming `confirm`, code `confirmation_needed`).
    confirm: str | Promise = ""

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    @property
    def segment(self) -> str:
        return self.api_segment or self.name.replace("_", "-")

    def __post_init__(self) -> None:
        if (self.service is None) == (self.call is None):
            raise TypeError(f"step {self.label}: give exactly one of `service` and `call`")
        if self.button and self.page is None:
            raise TypeError(f"step {self.label}: `button` is for a step with its own `page`")

    def with_confirm(self, form: forms.Form) -> forms.Form:
        """`form` with the step's required confirmation box (for an irreversible step)."""
        if self.confirm:
            form.fields[CONFIRM] = confirm_field(self.confirm)
        return form

    def invoke(self, actor: access.Actor, record: Any, data: dict[str, Any]) -> Any:
        """Run the step's service on `record` with the form's cleaned `data`."""
        if self.confirm:  # the confirmation is the step's, not the service's
            data = {k: v for k, v in data.items() if k != CONFIRM}
        if self.call is not None:
            return self.call(actor, record, data)
        assert self.service is not None
        return self.service(**service_arguments(self, actor, record, data))

    def guarded(self, binding: RecordBinding, record: Any) -> Any:
        """What the step's action is checked on for `record`."""
        return self.guard(record) if self.guard is not None else binding.guard(record)

    def message(self, result: Any) -> str:
        done = str(self.done(result) if callable(self.done) else self.done)
        following = self.then(result) if self.then is not None else ""
        return f"{done}{following}" if following else done

    def page_form(
        self, actor: access.Actor, record: Any, initial: Any = None, **kwargs: Any
    ) -> forms.Form:
        """The unbound form the record page offers for this step: with its prefix, what it
        needs (`form_kwargs`; `kwargs` add to them), and the record's version (and `initial`)
        as its initial values."""
        kwargs = {**(self.form_kwargs(actor, record) if self.form_kwargs else {}), **kwargs}
        if self.form_prefix is not None:
            kwargs["prefix"] = self.form_prefix(record)
        version = {"version": record.version} if hasattr(record, "version") else {}
        kwargs["initial"] = {**kwargs.get("initial", {}), **version, **(initial or {})}
        return self.with_confirm(self.form(**kwargs))

    def bound_form(
        self, actor: access.Actor, record: Any, data: Any, files: Any = None, *, page: bool
    ) -> forms.Form:
        """The form bound to a page's POST (with the page's prefix) or an API body (no prefix:
        the body's keys are the fields' names)."""
        kwargs = self.form_kwargs(actor, record) if self.form_kwargs else {}
        if not page:
            kwargs["prefix"] = None
        elif self.form_prefix is not None:
            kwargs["prefix"] = self.form_prefix(record)
        return self.with_confirm(self.form(data=data, files=files, **kwargs))


@dataclass(frozen=True, kw_only=True)
class RecordBinding:
    """How the pages and the API find and show one kind of record.

    - `queryset()`: where the record is read from (with what its checks need joined);
    - `view_action`: who may see it — through the API a record outside it is a 404, so that
      its existence is not revealed; the page answers 403 as every record page does;
    - `url(record)`: its page, where a step's success leads (by default its
      `get_absolute_url()`);
    - `invalid(request, record, step, form, status, error)`: the page again with the form's
      errors; None: the errors become messages and the person goes back to `url`;
    - `api_path`: the API's collection ("deadlines" → /api/v1/deadlines/{id}/<step>/);
    - `response`: the API's answer's serializer (and its OpenAPI schema), given the record
      re-read after the step from `rows(actor=…)` where what this person may see of it is
      annotated there (a list's selector), else from `queryset()`; `serialize(record, actor)`
      instead where the answer depends on the person otherwise (a clue's content);
    - `hidden`: a record outside `view_action` is a 404 on its pages too (a clue: nobody else
      may learn it exists).
    """

    model: type[models.Model]
    queryset: Callable[[], QuerySet]
    view_action: str
    url: Callable[[Any], str] = lambda record: record.get_absolute_url()
    api_path: str
    response: Any = None
    rows: Callable[..., QuerySet] | None = None
    serialize: Callable[[Any, access.Actor], dict[str, Any]] | None = None
    hidden: bool = False
    invalid: Callable[..., HttpResponse] | None = None
    back: Callable[[HttpRequest, Any], str] | None = None  # where the page returns (a `next`)
    # What the access rules are checked on: the record itself, or the record it belongs to
    # (an extension request is decided under its deadline's rules).
    guard: Callable[[Any], Any] = lambda record: record
    # What `view_action` is checked on, when not the guard: a suggestion's assignment is seen
    # by whoever sees the suggestion, though its steps are checked on the assignment.
    view_of: Callable[[Any], Any] | None = None
    # The API routes' name stem, when not `api_path` (an app whose API routes were named after
    # its viewset's basename keeps them: "suggestion-withdraw", "draw-commit").
    api_name: str = ""
    # The keyword its services name the record by, when not "<model name>_id" ("order_id").
    id_arg: str = ""

    def __post_init__(self) -> None:
        if self.serialize is None and self.response is None:
            raise TypeError(f"binding {self.model.__name__}: give `response` or `serialize`")

    def answer(self, record: Any, actor: access.Actor) -> dict[str, Any]:
        """The API's answer about `record` (as read after a step) for `actor`."""
        if self.serialize is not None:
            return self.serialize(record, actor)
        if self.rows is not None:
            record = self.rows(actor=actor).get(pk=record.pk)
        return self.response(record).data

    @property
    def route_stem(self) -> str:
        return self.api_name or self.api_path

    @property
    def record_arg(self) -> str:
        return self.id_arg or f"{self.model._meta.model_name}_id"


@functools.cache
def _parameters(service: Callable[..., Any]) -> Mapping[str, inspect.Parameter]:
    return inspect.signature(service).parameters


def service_arguments(
    step: Step, actor: access.Actor, record: Any, data: Mapping[str, Any]
) -> dict[str, Any]:
    """The keywords `step.service` is called with: the actor, the record's id and each of the
    form's fields by its name — a chosen record by its id (`unit` → `unit_id`), several by their
    ids (`co_units` → `co_unit_ids`). A field the service has no parameter for is a declaration
    error, never silently dropped (the test of the declarations checks every step)."""
    assert step.service is not None
    params = _parameters(step.service)
    kwargs: dict[str, Any] = {"actor": actor, binding_of(step.model).record_arg: record.pk}
    for name, value in data.items():
        if name in params:
            kwargs[name] = value
        elif f"{name}_id" in params:
            kwargs[f"{name}_id"] = getattr(value, "pk", value)
        elif f"{name.removesuffix('s')}_ids" in params:
            kwargs[f"{name.removesuffix('s')}_ids"] = [getattr(v, "pk", v) for v in value]
        else:
            raise TypeError(
                f"step {step.label}: the form's field {name!r} is no parameter of "
                f"{step.service.__qualname__}"
            )
    return kwargs


def with_data(service: Callable[..., Any], form: Any, *, versioned: bool = False) -> Call:
    """The `call` of a step whose service takes the form's fields as one mapping, `data`
    (`form.data_of(cleaned data)`), with the actor and the record's id — and, `versioned`
    (an edit), the version the person saw (0 where the form had none)."""

    def call(actor: access.Actor, record: Any, data: dict[str, Any]) -> Any:
        kwargs = {"version": data["version"] or 0} if versioned else {}
        return service(
            actor=actor,
            **{binding_of(type(record)).record_arg: record.pk},
            data=form.data_of(data),
            **kwargs,
        )

    return call


def made(serializer: Any) -> dict[str, Any]:
    """The options of a step that makes a record (a candidate project, an order, a registered
    opinion): the API answers 201 with the record as `serializer` shows it (and its schema)."""
    return {
        "answer": lambda result, actor: serializer(result).data,
        "answer_schema": serializer,
        "api_status": 201,
    }


def on(model: type[models.Model], *, url_prefix: str = "", **shared: Any) -> Callable[..., Step]:
    """A maker of `model`'s steps, with what they share said once::

        order = steps.on(SupervisionOrder, url_prefix="order_", form_prefix=lambda o: f"o{o.pk}")
        steps.declare(order("close", action=…, form=…, service=…, done=…, summary=…), …)

    `url_prefix`: the page routes are named `<url_prefix><name>` ("order_close")."""

    def make(name: str, **fields: Any) -> Step:
        if url_prefix and "url_name" not in fields:
            fields["url_name"] = f"{url_prefix}{name}"
        return Step(model=model, name=name, **{**shared, **fields})

    return make


_steps: dict[str, Step] = {}
_records: dict[type[models.Model], RecordBinding] = {}


def declare(*steps: Step) -> None:
    for step in steps:
        if step.label in _steps and _steps[step.label] is not step:
            raise LookupError(f"step {step.label} is declared twice")
        _steps[step.label] = step


def record(binding: RecordBinding) -> None:
    _records[binding.model] = binding


def declared() -> list[Step]:
    return list(_steps.values())


def step_of(model: type[models.Model], name: str) -> Step:
    """The step `name` declared on `model`."""
    return _steps[f"{model._meta.label_lower}.{name}"]


def steps_of(model: type[models.Model]) -> list[Step]:
    return [s for s in _steps.values() if s.model is model]


def binding_of(model: type[models.Model]) -> RecordBinding:
    try:
        return _records[model]
    except KeyError:
        raise LookupError(f"no RecordBinding for {model._meta.label}") from None


def _find(binding: RecordBinding, actor: access.Actor, pk: int, *, api: bool) -> Any:
    obj = binding.queryset().filter(pk=pk).first()
    check = api or binding.hidden
    seen = binding.view_of or binding.guard
    if obj is None or (check and not access.can(actor, binding.view_action, seen(obj))):
        raise Http404
    return obj


# --- The page -------------------------------------------------------------------------------


def _messages_for(request: HttpRequest, form: forms.Form, error: str = "") -> None:
    if error:
        messages.error(request, error)
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for message in errors:
            if message == error:
                continue
            messages.error(request, f"{label}：{message}" if label else message)


def page_view(step: Step) -> Callable[..., HttpResponse]:
    """The record page's POST handler of `step`."""
    binding = binding_of(step.model)

    def answer_invalid(
        request: HttpRequest, obj: Any, form: forms.Form, status: int, error: str = ""
    ) -> HttpResponse:
        if step.page is not None:
            return step.page(request, obj, form, status)
        if binding.invalid is not None:
            return binding.invalid(request, obj, step, form, status=status, error=error)
        _messages_for(request, form, error)
        return redirect(binding.back(request, obj) if binding.back else binding.url(obj))

    @policy(step.action, per_record=True)
    @require_http_methods(["GET", "POST"] if step.page is not None else ["POST"])
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        obj = _find(binding, request.actor, pk, api=False)
        access.require(request.actor, step.action, step.guarded(binding, obj))
        if request.method == "GET":  # a step with its own page: the page
            assert step.page is not None
            return step.page(request, obj, None, 200)
        form = step.bound_form(request.actor, obj, request.POST, request.FILES, page=True)
        if not form.is_valid():
            if step.confirm and set(form.errors) == {CONFIRM}:  # all is said but the "yes"
                return confirmation_page(request, step, obj, binding)
            form.errors.pop(CONFIRM, None)  # first what is to correct; the "yes" comes after
            return answer_invalid(request, obj, form, 400)
        if step.button and step.button not in request.POST:  # a preview: nothing changes
            assert step.page is not None
            return step.page(request, obj, form, 200)
        try:
            result = step.invoke(request.actor, obj, form.cleaned_data)
        except DomainError as exc:
            apply_errors(form, exc)
            return answer_invalid(request, obj, form, exc.status, exc.message)
        if step.shows is not None:
            return step.shows(request, obj, result)
        messages.success(request, step.message(result))
        if step.lands is not None:
            return redirect(step.lands(result))
        target = binding.back(request, obj) if binding.back else binding.url(obj)
        return redirect(target + step.anchor)

    view.__name__ = f"{step.model._meta.model_name}_{step.name}"
    view.__qualname__ = view.__name__
    view.wulian_step = step  # type: ignore[attr-defined]
    return view


def confirmation_page(
    request: HttpRequest, step: Step, record: Any, binding: RecordBinding
) -> HttpResponse:
    """An irreversible step asked for without its confirmation: what cannot be undone, and a
    button that posts the same input again with the box ticked (no JavaScript involved); the
    way back leads to the record's page, where nothing has changed."""
    from django.shortcuts import render

    form = step.bound_form(request.actor, record, request.POST, None, page=True)
    confirm_name = form.add_prefix(CONFIRM)
    carried = [
        (key, value)
        for key, values in request.POST.lists()
        if key not in {"csrfmiddlewaretoken", confirm_name}
        for value in values
    ]
    return render(
        request,
        "components/step_confirm.html",
        {
            "record": record,
            "text": step.confirm,
            "carried": carried,
            "confirm_name": confirm_name,
            "action": request.get_full_path(),
            "back": binding.back(request, record) if binding.back else binding.url(record),
        },
    )


def page_urls(model: type[models.Model], prefix: str = "<int:pk>/") -> list[URLPattern]:
    """The page routes of every step declared on `model`, under `prefix`."""
    return [
        path(
            step.page_path or f"{prefix}{step.name.replace('_', '-')}/",
            page_view(step),
            name=step.url_name or step.name,
        )
        for step in steps_of(model)
    ]


# --- The API --------------------------------------------------------------------------------


def _field_schema(f: forms.Field) -> dict[str, Any]:
    """The JSON schema of one form field as the API reads it."""
    schema: dict[str, Any]
    if getattr(f, "json_schema", None):  # a field that says how the API reads it
        schema = dict(f.json_schema)  # type: ignore[attr-defined]
    elif isinstance(f, forms.ModelMultipleChoiceField):
        schema = {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": ID_MAX}}
    elif isinstance(f, forms.ModelChoiceField):
        schema = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
    elif isinstance(f, forms.MultipleChoiceField):
        schema = {"type": "array", "items": {"type": "string", "enum": _choices(f)}}
    elif isinstance(f, forms.TypedChoiceField) and f.coerce is int:
        schema = {"type": "integer", "enum": [int(c) for c in _choices(f) if c != ""]}
    elif isinstance(f, forms.ChoiceField):
        schema = {"type": "string", "enum": _choices(f)}
    elif isinstance(f, forms.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(f, forms.IntegerField):
        schema = {"type": "integer"}
        if f.min_value is not None:
            schema["minimum"] = f.min_value
        if f.max_value is not None:
            schema["maximum"] = f.max_value
    elif isinstance(f, forms.DateTimeField):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(f, forms.DateField):
        schema = {"type": "string", "format": "date"}
    elif isinstance(f, forms.FileField):
        schema = {"type": "string", "format": "binary"}
        if getattr(f.widget, "allow_multiple_selected", False):
            schema = {"type": "array", "items": schema}
    else:
        schema = {"type": "string"}
        if getattr(f, "max_length", None):
            schema["maxLength"] = f.max_length
    description = " ".join(str(t) for t in (f.label, f.help_text) if t)
    if description:
        schema["description"] = description
    if not f.required and schema.get("type") not in {"array", "boolean"}:
        schema["nullable"] = True
    return schema


def _choices(f: forms.ChoiceField) -> list[str]:
    values: list[str] = []
    for value, label in f.choices:
        if isinstance(label, list | tuple):  # an optgroup
            values.extend(str(v) for v, _label in label)
        else:
            values.append(str(value))
    return [v for v in values if v != ""] or [""]


def _blank(step_or_form: Any) -> forms.Form:
    """An unbound form for the schema (forms that need context get an empty one)."""
    if isinstance(step_or_form, Step):
        try:
            return step_or_form.with_confirm(step_or_form.form(prefix=None))
        except TypeError:
            return step_or_form.with_confirm(
                step_or_form.form(prefix=None, **_schema_kwargs(step_or_form.form))
            )
    return step_or_form(**_schema_kwargs(step_or_form))


def _schema_kwargs(form_class: type[forms.Form]) -> dict[str, Any]:
    return dict(getattr(form_class, "schema_kwargs", {}))


def request_schema(form_class: Any) -> dict[str, Any]:
    form = _blank(form_class)
    properties = {name: _field_schema(f) for name, f in form.fields.items()}
    required = [name for name, f in form.fields.items() if f.required]
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    if not getattr(form, "api_keys_vary", False):  # other keys are refused (`_shape_errors`)
        schema["additionalProperties"] = False
    return schema


def _media(step: Step) -> list[str]:
    """The request bodies the step's API reads: JSON; multipart where the form takes files —
    and JSON as well where those files are optional (a reply with or without attachments)."""
    files = [f for f in _blank(step).fields.values() if isinstance(f, forms.FileField)]
    if not files:
        return ["application/json"]
    if any(f.required for f in files):
        return ["multipart/form-data"]
    return ["application/json", "multipart/form-data"]


_SCALARS = (str, int, float, bool, type(None))


def _takes_many(field: forms.Field) -> bool:
    return isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField) or (
        getattr(field.widget, "allow_multiple_selected", False)
    )


def _too_big(value: Any) -> bool:
    """A whole number no database column holds (an id of 30 digits is no record: it must be a
    400, not an overflow in the driver)."""
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > ID_MAX


def _shape_errors(form: forms.Form, data: Any) -> dict[str, list[str]]:
    """A JSON body's values as a form can read them: one value per field (a list of values
    where the field takes several); an object or a nested list is named, not a server error;
    so is a key the form has no field for."""
    if type(data) is not dict:  # a multipart body (a QueryDict): the parser gave text and files
        return {}
    errors: dict[str, list[str]] = {}
    # A key the form does not read would be dropped without a word (a renamed field an old
    # client still sends): it is named instead, with the fields the step does read.
    for name in data if not getattr(form, "api_keys_vary", False) else ():
        if name not in form.fields:
            errors[name] = [
                _("本接口没有这个字段。可用字段：%(fields)s。")
                % {"fields": "、".join(form.fields) or _("（无）")}
            ]
    for name, field in form.fields.items():
        if name not in data:
            continue
        value = data[name]
        if _takes_many(field):
            ok = isinstance(value, _SCALARS) or (
                isinstance(value, list) and all(isinstance(v, _SCALARS) for v in value)
            )
        elif isinstance(field, BaseTemporalField):  # dates and times: text only
            ok = isinstance(value, str | type(None))
        elif isinstance(field, forms.BooleanField):  # yes or no: true or false, not "yes please"
            ok = isinstance(value, bool | type(None))
        else:
            ok = isinstance(value, _SCALARS)
        if ok and any(_too_big(v) for v in (value if isinstance(value, list) else [value])):
            errors[name] = [_("数值超出范围。")]
            continue
        if not ok:
            if _takes_many(field):
                errors[name] = [_("格式有误：应为一组值（列表）。")]
            elif isinstance(field, forms.BooleanField):
                errors[name] = [_("格式有误：应为 true 或 false。")]
            else:
                errors[name] = [_("格式有误：应为一个值。")]
    return errors


def form_errors(form: forms.Form) -> dict[str, list[str]]:
    return {
        (name if name != "__all__" else "non_field_errors"): [str(e) for e in errors]
        for name, errors in form.errors.items()
    }


def api_form(make: Callable[[Any], forms.Form], data: Any) -> forms.Form:
    """The form `make(data)` bound to an API body and valid — or ValidationFailed (400,
    problem+json) naming each field: a body that is no JSON object, a value of the wrong
    shape, a value the form refuses."""
    if not isinstance(data, Mapping):  # a JSON list, string or number
        raise ValidationFailed(
            _("请求体须为一个 JSON 对象，字段名与表单相同。"),
            field_errors={"non_field_errors": [_("请求体须为一个 JSON 对象。")]},
        )
    form = make(data)
    shape = _shape_errors(form, data)
    if shape:
        raise ValidationFailed(_("请求有误，请按提示更正。"), field_errors=shape)
    if not form.is_valid():
        raise ValidationFailed(_("请求有误，请按提示更正。"), field_errors=form_errors(form))
    return form


def _id_parameter() -> Any:
    from drf_spectacular.utils import OpenApiParameter

    return OpenApiParameter(
        "id",
        {"type": "integer", "minimum": 1, "maximum": ID_MAX},
        OpenApiParameter.PATH,
        description="The record's id.",
    )


def _operation(binding: RecordBinding) -> str:
    return binding.api_path.replace("-", "_").replace("/", "_")


def api_view_class(step: Step) -> type:
    """A DRF view answering `POST /api/v1/<records>/{id}/<step>/`."""
    from drf_spectacular.utils import OpenApiResponse, extend_schema
    from rest_framework.parsers import MultiPartParser
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from wulian.api.parsers import JSONParser
    from wulian.api.schema import PROBLEM_REF

    binding = binding_of(step.model)
    media = _media(step)
    # A step that takes nothing but the click reads no body (an empty form post is no error).
    takes_input = bool(_blank(step).fields)
    problem = OpenApiResponse(PROBLEM_REF, description="problem+json")

    @extend_schema(
        operation_id=f"{_operation(binding)}_{step.name}",
        summary=step.summary,
        tags=[binding.api_path],
        parameters=[_id_parameter()],
        request={m: request_schema(step) for m in media},
        responses={
            step.api_status: step.answer_schema or binding.response or {"type": "object"},
            400: problem,
            401: problem,
            403: problem,
            404: problem,
            409: problem,
        },
    )
    def post(self: Any, request: Any, pk: int) -> Any:
        actor = access.actor_for(request.user)
        obj = _find(binding, actor, int(pk), api=True)
        access.require(actor, step.action, step.guarded(binding, obj))
        files = request.FILES if "multipart/form-data" in media else None
        data = request.data if takes_input else {}
        try:
            form = api_form(lambda d: step.bound_form(actor, obj, d, files, page=False), data)
        except ValidationFailed as exc:
            if step.confirm and set(exc.field_errors) == {CONFIRM}:
                raise ConfirmationNeeded(
                    _('此操作不可撤销：%(what)s 确认请在请求体中加上 "confirm": true。')
                    % {"what": step.confirm}
                ) from exc
            raise
        result = step.invoke(actor, obj, form.cleaned_data)
        if step.answer is not None:  # the record the step made (a freeze's draw)
            return Response(step.answer(result, actor), status=step.api_status)
        # The answer is the record as it is now (re-read: the service changed it).
        return Response(
            binding.answer(binding.queryset().get(pk=obj.pk), actor), status=step.api_status
        )

    parsers = [
        {"application/json": JSONParser, "multipart/form-data": MultiPartParser}[m] for m in media
    ]
    return type(
        f"{step.model.__name__}{step.name.title().replace('_', '')}Step",
        (APIView,),
        {
            "post": post,
            "parser_classes": parsers,
            "wulian_policy": step.action,
            "wulian_step": step,
            "__doc__": step.summary,
        },
    )


def api_read_class(binding: RecordBinding) -> type:
    """A DRF view answering `GET /api/v1/<records>/{id}/`: the record, for who may see it."""
    from drf_spectacular.utils import OpenApiResponse, extend_schema
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from wulian.api.schema import PROBLEM_REF

    problem = OpenApiResponse(PROBLEM_REF, description="problem+json")

    @extend_schema(
        operation_id=f"{_operation(binding)}_read",
        summary=f"One record of {binding.api_path}",
        tags=[binding.api_path],
        parameters=[_id_parameter()],
        responses={200: binding.response or {"type": "object"}, 401: problem, 404: problem},
    )
    def get(self: Any, request: Any, pk: int) -> Any:
        actor = access.actor_for(request.user)
        return Response(binding.answer(_find(binding, actor, int(pk), api=True), actor))

    return type(
        f"{binding.model.__name__}Read",
        (APIView,),
        {"get": get, "wulian_policy": binding.view_action, "__doc__": "One record."},
    )


def api_urls(model: type[models.Model], *, read: bool = True) -> list[URLPattern]:
    """The API routes of `model`: its record (unless the app's own API reads it: `read=False`)
    and every step declared on it (at /api/v1/)."""
    binding = binding_of(model)
    reading = [
        path(
            f"{binding.api_path}/<int:pk>/",
            api_read_class(binding).as_view(),
            name=f"{binding.route_stem}-detail",
        )
    ]
    return [
        *(reading if read else []),
        *(
            path(
                f"{binding.api_path}/<int:pk>/{step.segment}/",
                api_view_class(step).as_view(),
                name=f"{binding.route_stem}-{step.segment.replace('/', '-')}",
            )
            for step in steps_of(model)
        ),
    ]
