"""`/api/v1/judicial/…`: the judicial link for other systems — the pool, filed cases, batches,
draws and their steps, the expert's invitations, suggestions to the courts and petitions —
with the same filters, scopes and services as the pages. A record outside the caller's scope
is a 404; refusals are problem+json (wulian.api.errors).

Sealing holds here too: a draw's seed (with the manifest, enough to recompute who sits on
which case) is shown to the organiser and the witness only until the review opens, and the
panels are never listed before then."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response

from wulian.api import imports as api_imports
from wulian.api.readonly import name_of, read_only
from wulian.api.views import ID_PARAMETER, ApiViewSet, FormCreate, ReadViewSet, creating, documented
from wulian.core import access, pages
from wulian.judicial import selectors, services
from wulian.judicial.choices import BatchState, DrawState
from wulian.judicial.filters import (
    BatchFilter,
    CaseFilter,
    ExpertFilter,
    PetitionFilter,
    SuggestionFilter,
)
from wulian.judicial.forms import BatchForm, ExpertForm, ImportForm, PetitionForm
from wulian.judicial.models import (
    Case,
    CourtSuggestion,
    Draw,
    Expert,
    ExpertConflict,
    Invitation,
    PanelSeat,
    Petition,
    PoolVersion,
    Problem,
    ReviewBatch,
    Score,
    WitnessInput,
)
from wulian.judicial.services import imports as import_services

# --- Serializers --------------------------------------------------------------------------


ExpertSerializer = read_only(
    "ExpertSerializer",
    Expert,
    [
        "id",
        "ref",
        "name",
        "category",
        "specialties",
        "employer",
        "law_firm",
        "status",
        "availability",
        "rating",
        "version",
    ],
    ref=serializers.CharField(read_only=True),
    name=serializers.CharField(source="profile.person.name", read_only=True),
    category=serializers.CharField(source="profile.category", read_only=True),
    specialties=serializers.ListField(
        source="profile.specialties", child=serializers.CharField(), read_only=True
    ),
    employer=serializers.CharField(source="profile.employer", read_only=True),
    law_firm=serializers.CharField(source="profile.law_firm", read_only=True),
    rating=serializers.FloatField(read_only=True, allow_null=True),
)


ProblemSerializer = read_only(
    "ProblemSerializer", Problem, ["id", "criterion", "description", "is_misconduct"]
)


CaseSerializer = read_only(
    "CaseSerializer",
    Case,
    [
        "id",
        "number",
        "year",
        "court_code",
        "case_type",
        "serial",
        "court",
        "court_name",
        "kind",
        "cause",
        "parties",
        "involves_enterprise",
        "judges",
        "lawyers",
        "batch",
        "grade",
        "corrected_by",
        "problems",
        "version",
    ],
    court_name=name_of("court"),
    problems=ProblemSerializer(source="visible_problems", many=True, read_only=True, default=[]),
)


class PartyIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    role = serializers.CharField(max_length=20, required=False, default="other")
    enterprise = serializers.BooleanField(required=False, default=False)


class LawyerIn(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    firm = serializers.CharField(max_length=200)
    party = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class CaseCreateSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=80)
    court = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    kind = serializers.CharField(max_length=32)
    cause = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    parties = PartyIn(many=True)
    judges = serializers.ListField(child=serializers.CharField(max_length=60), max_length=50)
    lawyers = LawyerIn(many=True, required=False, default=list)
    filed_by_org = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)

    def to_service_data(self) -> dict[str, Any]:
        d = self.validated_data
        data = {
            "number": d["number"],
            "court_id": d["court"],
            "kind": d["kind"],
            "cause": d["cause"],
            "parties": [dict(p) for p in d["parties"]],
            "judges": list(d["judges"]),
            "lawyers": [dict(lw) for lw in d["lawyers"]],
        }
        if d.get("filed_by_org"):
            data["filed_by_org_id"] = d["filed_by_org"]
        return data


ReviewBatchSerializer = read_only(
    "ReviewBatchSerializer",
    ReviewBatch,
    [
        "id",
        "title",
        "year",
        "organiser_org",
        "witness_org",
        "state",
        "reviewers_per_case",
        "minimums",
        "reserves_per_category",
        "max_cases_per_expert",
        "year_cap",
        "recent_judge_days",
        "rubric",
        "disagreement_points",
        "review_opened_at",
        "closed_at",
        "n_cases",
        "version",
    ],
    n_cases=serializers.IntegerField(read_only=True),
)


InputSerializer = read_only(
    "InputSerializer",
    WitnessInput,
    ["role", "person", "person_name", "organisation", "value", "entered_at"],
    person_name=name_of("person"),
)


def _signer(user: Any) -> str | None:
    if user is None:
        return None
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()


class AbortSerializer(serializers.Serializer):
    """The draw's abort: the organiser's request and the witness's answer."""

    state = serializers.ChoiceField(
        choices=["pending", "refused", "confirmed", "unconfirmed"],
        help_text="pending: waiting for the witness; refused: the draw goes on; confirmed: "
        "aborted on both signatures; unconfirmed: aborted by the organiser alone, before the "
        "witness's co-signature was required",
    )
    reason = serializers.CharField()
    requested_by = serializers.CharField()
    requested_at = serializers.DateTimeField()
    confirmed_by = serializers.CharField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    refused_by = serializers.CharField(allow_null=True)
    refused_at = serializers.DateTimeField(allow_null=True)
    refusal_note = serializers.CharField(allow_blank=True)


class DrawSerializer(serializers.ModelSerializer):
    draw_id = serializers.CharField(source="code", read_only=True)
    replaces = serializers.CharField(source="replaces.code", read_only=True, default=None)
    pool_version = serializers.IntegerField(source="pool_version.number", read_only=True)
    pool_hash = serializers.CharField(source="pool_version.hash", read_only=True)
    inputs = InputSerializer(many=True, read_only=True)
    seed = serializers.SerializerMethodField()
    abort = serializers.SerializerMethodField()

    class Meta:
        model = Draw
        fields = [
            "id",
            "draw_id",
            "batch",
            "state",
            "pool_version",
            "pool_hash",
            "manifest_hash",
            "commitment",
            "inputs",
            "seed",
            "result_hash",
            "current_hash",
            "run_at",
            "replaces",
            "abort_reason",
            "abort",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(AbortSerializer(allow_null=True))
    def get_abort(self, d: Draw) -> dict[str, Any] | None:
        if d.abort_requested_at is None:
            return None
        if d.state == DrawState.ABORTED:
            state = "confirmed" if d.aborted_by_id else "unconfirmed"
        else:
            state = "refused" if d.abort_refused_at else "pending"
        refused = state == "refused"
        return AbortSerializer(
            {
                "state": state,
                "reason": d.abort_reason,
                "requested_by": _signer(d.abort_requested_by),
                "requested_at": d.abort_requested_at,
                "confirmed_by": _signer(d.aborted_by),
                "confirmed_at": d.aborted_at if state == "confirmed" else None,
                "refused_by": _signer(d.abort_refused_by) if refused else None,
                "refused_at": d.abort_refused_at if refused else None,
                "refusal_note": d.abort_refusal_note if refused else "",
            }
        ).data

    def get_seed(self, d: Draw) -> str | None:
        # Who reads: the viewset's request, or the actor a declared step answers (steps.py).
        actor = self.context.get("actor") or self.context["request"].user
        if not d.seed:
            return None
        open_review = d.batch.state in (BatchState.REVIEWING, BatchState.CLOSED)
        if open_review or access.can(actor, "judicial.draw.view_sealed", d):
            return d.seed
        return None


class VerificationSerializer(serializers.Serializer):
    draw_id = serializers.CharField(source="code")
    ok = serializers.BooleanField()
    ran = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())


InvitationSerializer = read_only(
    "InvitationSerializer",
    Invitation,
    ["id", "draw_id", "year", "state", "responded_at", "version"],
    draw_id=serializers.CharField(source="draw.code", read_only=True),
    year=serializers.IntegerField(source="draw.batch.year", read_only=True),
)


ScoreSerializer = read_only(
    "ScoreSerializer", Score, ["values", "total", "comment", "submitted_at", "version"]
)


class SeatSerializer(serializers.ModelSerializer):
    """A reviewer's seat on a case, with his own score (nobody else's: blind review). Seats
    exist once the review opens; before, nobody but the organiser and the witness learns who
    sits on which case."""

    case_number = serializers.CharField(source="case.number", read_only=True)
    score = ScoreSerializer(read_only=True, allow_null=True, default=None)

    class Meta:
        model = PanelSeat
        fields = ["id", "case", "case_number", "position", "score"]
        read_only_fields = fields


def seats() -> QuerySet:
    return PanelSeat.objects.select_related("expert__profile", "case__batch", "case__court")


SuggestionSerializer = read_only(
    "SuggestionSerializer",
    CourtSuggestion,
    [
        "id",
        "number",
        "batch",
        "addressee",
        "addressee_name",
        "title",
        "content",
        "state",
        "sent_at",
        "answer",
        "answered_at",
        "finding_id",
        "version",
    ],
    addressee_name=name_of("addressee"),
    number=serializers.CharField(read_only=True),
)


PetitionSerializer = read_only(
    "PetitionSerializer",
    Petition,
    [
        "id",
        "number",
        "received_on",
        "petitioner",
        "summary",
        "case_number",
        "organisation",
        "state",
        "routed_at",
        "outcome",
        "outcome_note",
        "answered_at",
        "cases",
        "version",
    ],
    number=serializers.CharField(read_only=True),
)


# --- Viewsets -----------------------------------------------------------------------------


PoolVersionSerializer = read_only(
    "PoolVersionSerializer", PoolVersion, ["id", "number", "hash", "expert_count", "created_at"]
)


ConflictSerializer = read_only(
    "ConflictSerializer",
    ExpertConflict,
    ["id", "expert", "kind", "counterpart", "case", "note", "declared_on", "is_active"],
)


def cases_for(actor: Any) -> QuerySet:
    """The cases `actor` may see, each with the problems he may see (a misconduct finding: the
    CDI side and the organiser) as `visible_problems`."""
    return selectors.case_list(actor=actor).prefetch_related(
        Prefetch(
            "problems", queryset=selectors.problems_seen(actor=actor), to_attr="visible_problems"
        )
    )


def draws() -> QuerySet:
    return Draw.objects.select_related(
        "batch",
        "replaces",
        "pool_version",
        "abort_requested_by__person",
        "aborted_by__person",
        "abort_refused_by__person",
    ).prefetch_related(
        Prefetch("inputs", queryset=WitnessInput.objects.select_related("person").order_by("id"))
    )


# The steps on these records (suspend, grade, open, commit, abort, accept, answer, route …) are
# declared in judicial/steps.py; their API actions are made from the declarations.


@documented(
    "List the expert pool (专家库)",
    "One pool entry",
    create=creating(ExpertForm, "Put a person into the pool (专家入库)", ExpertSerializer),
)
class ExpertViewSet(ReadViewSet, FormCreate):
    serializer_class = ExpertSerializer
    filterset_class = ExpertFilter
    wulian_policy = "judicial.expert.view"
    action_policies = {"create": ("judicial.expert.manage",)}
    create_form = ExpertForm
    create_service = staticmethod(services.expert_add)
    queryset = Expert.objects.none()
    listed = (selectors, "expert_list")


@documented(
    "List the pool's versions (专家库版本), newest first",
    create=extend_schema(
        summary="Record the pool as it stands (记录当前版本): 201 and the new version, or 200 "
        "and the current one when the pool has not changed since",
        request=None,
        responses={201: PoolVersionSerializer, 200: PoolVersionSerializer},
    ),
)
class PoolVersionViewSet(mixins.ListModelMixin, ApiViewSet):
    """The pool's snapshots, as the page `judicial:pool_versions` lists and records them."""

    serializer_class = PoolVersionSerializer
    wulian_policy = "judicial.expert.view"
    action_policies = {"create": ("judicial.expert.manage",)}
    queryset = PoolVersion.objects.none()

    def get_queryset(self) -> QuerySet:
        return PoolVersion.objects.order_by("-number")

    def create(self, request: Request) -> Response:
        before = PoolVersion.objects.order_by("-number").values_list("number", flat=True).first()
        version = services.pool_version_create(actor=request.user)
        code = status.HTTP_200_OK if version.number == before else status.HTTP_201_CREATED
        return Response(PoolVersionSerializer(version).data, status=code)


@documented(
    "List filed cases (备案案件) the caller may see",
    "One filed case",
    create=extend_schema(
        summary="File a case (备案): the case number is parsed and checked",
        request=CaseCreateSerializer,
        responses={201: CaseSerializer},
    ),
)
class CaseViewSet(ReadViewSet):
    """Filing a case keeps its own body (`CaseCreateSerializer`), which its clients use."""

    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    wulian_policy = "judicial.case.view"
    action_policies = {"create": ("judicial.case.file",)}
    queryset = Case.objects.none()

    def get_queryset(self) -> QuerySet:
        return cases_for(self.request.user)

    def create(self, request: Request) -> Response:
        data = CaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_file(actor=request.user, data=data.to_service_data())
        return Response(self._written(case, CaseSerializer), status=status.HTTP_201_CREATED)


@documented(
    "List review batches (评查批次)",
    "One review batch",
    create=creating(
        BatchForm,
        "Create a review batch (建立评查批次) with its rules, rubric (one criterion a line: "
        "name and points) and cases",
        ReviewBatchSerializer,
    ),
)
class BatchViewSet(ReadViewSet, FormCreate):
    serializer_class = ReviewBatchSerializer
    filterset_class = BatchFilter
    wulian_policy = "judicial.batch.view"
    action_policies = {"create": ("judicial.batch.create",)}
    create_form = BatchForm
    create_service = staticmethod(services.batch_create)
    queryset = ReviewBatch.objects.none()
    listed = (selectors, "batch_list")

    def create_choices(self, actor: access.Actor) -> dict[str, Any]:
        return selectors.batch_choices(actor)


@documented(
    "List draws (专家抽取) with their public hashes",
    "One draw",
    verify=extend_schema(
        summary="Recompute the draw from its record",
        parameters=[ID_PARAMETER],
        responses={200: VerificationSerializer},
    ),
)
class DrawViewSet(ReadViewSet):
    serializer_class = DrawSerializer
    wulian_policy = "judicial.draw.view"
    queryset = Draw.objects.none()

    def get_queryset(self) -> QuerySet:
        return access.scope(self.request.user, "judicial.batch.view", draws()).order_by("-id")

    @action(detail=True, methods=["get"])
    def verify(self, request: Request, pk: str) -> Response:
        d = self.get_object()
        return Response(
            VerificationSerializer(services.draw_verify(actor=request.user, draw_id=d.pk)).data
        )


@documented("My review invitations (no case details)")
class InvitationViewSet(mixins.ListModelMixin, ApiViewSet):
    serializer_class = InvitationSerializer
    wulian_policy = "judicial.review.mine"
    queryset = Invitation.objects.none()

    def get_queryset(self) -> QuerySet:
        person_id = access.actor_for(self.request.user).person_id
        return (
            Invitation.objects.filter(
                expert__profile__person_id=person_id, draw__state=DrawState.SEALED
            )
            .select_related("draw__batch", "expert__profile")
            .order_by("-id")
        )


@documented("My seats (评查席位): the cases I review, with my own scores")
class SeatViewSet(mixins.ListModelMixin, ApiViewSet):
    """Scoring a seat is a declared step (`POST /api/v1/judicial/seats/{id}/score/`)."""

    serializer_class = SeatSerializer
    wulian_policy = "judicial.review.mine"
    queryset = PanelSeat.objects.none()

    def get_queryset(self) -> QuerySet:
        person_id = access.actor_for(self.request.user).person_id
        return (
            seats()
            .filter(expert__profile__person_id=person_id)
            .prefetch_related(Prefetch("score", queryset=Score.objects.all()))
            .order_by("-case__batch_id", "case_id")
        )


@documented("List suggestions to courts and procuratorates (意见建议)", "One suggestion")
class SuggestionViewSet(ReadViewSet):
    serializer_class = SuggestionSerializer
    filterset_class = SuggestionFilter
    wulian_policy = "judicial.courtsuggestion.view"
    queryset = CourtSuggestion.objects.none()
    listed = (selectors, "suggestion_list")


@documented(
    "List petitions about litigation (涉法涉诉信访)",
    "One petition",
    create=creating(PetitionForm, "Register a petition (登记信访事项)", PetitionSerializer),
)
class PetitionViewSet(ReadViewSet, FormCreate):
    serializer_class = PetitionSerializer
    filterset_class = PetitionFilter
    wulian_policy = "judicial.petition.view"
    action_policies = {"create": ("judicial.petition.manage",)}
    create_form = PetitionForm
    create_service = staticmethod(services.petition_register)
    queryset = Petition.objects.none()

    def get_queryset(self) -> QuerySet:
        return selectors.petition_list(actor=self.request.user).prefetch_related("cases")

    def create_choices(self, actor: access.Actor) -> dict[str, Any]:
        return selectors.petition_choices(actor)


# --- Figures ------------------------------------------------------------------------------


def _figure(f: selectors.Figure) -> dict[str, Any]:
    url = reverse(f.url_name) + (f"?{f.query}" if f.query else "")
    return {"label": f.label, "value": f.value, "url": url}


@extend_schema(
    summary="The judicial link's figures (司法监督联动数据统计), each with the list URL that shows "
    "its records; aborted draws counted as requested and as confirmed, in total and per batch",
    parameters=[
        OpenApiParameter("year", OpenApiTypes.INT, description="四位数年度；省略时为全部年度")
    ],
    responses=OpenApiTypes.OBJECT,
    operation_id="judicial_figures",
)
@api_view(["GET"])
def figures_api(request: Request) -> Response:
    f = selectors.figures(actor=request.user, year=pages.year_of(request.query_params))
    return Response(
        {
            "year": f.year,
            "experts_total": _figure(f.experts_total),
            "experts_by_category": [_figure(x) for x in f.experts_by_category],
            "draws": _figure(f.draws),
            "draws_abort_requested": _figure(f.draws_abort_requested),
            "draws_aborted": _figure(f.draws_aborted),
            "aborts_by_batch": [
                {
                    "batch": b.batch_id,
                    "title": b.title,
                    "year": b.year,
                    "requested": b.requested,
                    "confirmed": b.confirmed,
                    "url": b.url,
                }
                for b in f.aborts_by_batch
            ],
            "cases_reviewed": _figure(f.cases_reviewed),
            "by_grade": [_figure(x) for x in f.by_grade],
            "suggestions": _figure(f.suggestions),
            "adopted": _figure(f.adopted),
            "cases_corrected": _figure(f.cases_corrected),
            "mechanisms": _figure(f.mechanisms),
            "petitions": _figure(f.petitions),
        }
    )


figures_api.cls.wulian_policy = "judicial.figures.view"  # type: ignore[attr-defined]


# --- Imports (.xlsx) ----------------------------------------------------------------------


def _imported(result: Any) -> str:
    return _("导入完成：%(s)s。") % {"s": import_services.summary(result)}


def _importing(kind: str, action: str, run: Any, title: str, filename: Any) -> tuple[Any, Any]:
    """`POST /api/v1/judicial/<kind>s/import/` and its template's `GET …/import/template/`:
    the page `judicial:<kind>_import`'s form, service and policy (wulian.api.imports)."""
    upload = api_imports.upload_view(
        name=f"judicial_{kind}s",
        policy=action,
        form=ImportForm,
        run=lambda actor, d: run(actor=actor, file=d["file"], filename=d["file"].name),
        summary=_imported,
        title=title,
        tag="judicial",
    )
    template = api_imports.template_view(
        name=f"judicial_{kind}s",
        policy=action,
        body=lambda: import_services.template_workbook(f"{kind}s"),
        filename=lambda: _(filename),
        tag="judicial",
    )
    return upload, template


ExpertImport, ExpertImportTemplate = _importing(
    "expert",
    "judicial.expert.manage",
    services.experts_import,
    "Import experts into the pool from an .xlsx workbook (导入专家库): every row is checked "
    "and all are added, or none",
    "专家库导入模板.xlsx",
)
CaseImport, CaseImportTemplate = _importing(
    "case",
    "judicial.case.file",
    services.cases_import,
    "File cases from an .xlsx workbook (导入备案案件): every row is checked and all are "
    "filed, or none",
    "案件备案导入模板.xlsx",
)
