"""`/api/v1/suggestions/` and its neighbours: the ledger (the same FilterSet, scope and keyset
pages as the HTML ledger), the records, submission, joint-assignment batches and the
publication's proposal. Every step is declared once in steps.py, which makes its API action
(`POST /api/v1/<records>/{id}/<step>/`, the page's form as its body). A record outside the
caller's scope is a 404; a refusal is problem+json (403, 400 with field errors, 409). JSON,
except the reply, which may carry its letter as multipart (a submission's files are uploaded
through its page); the files of a suggestion's replies are listed with each reply and
downloaded from `suggestions/{id}/reply-files/{attachment}/`."""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wulian.api import imports as api_imports
from wulian.api.errors import problem
from wulian.api.pagination import KeysetPagination
from wulian.api.readonly import name_of, read_only
from wulian.api.schema import PROBLEM_REF
from wulian.api.views import ID_PARAMETER, FormCreate, RecordApiViewSet, creating, documented
from wulian.core import access, steps
from wulian.core.activities.api import ActivitySerializer
from wulian.core.activities.models import Activity
from wulian.core.attachments import services as attachment_services
from wulian.core.attachments.views import file_response
from wulian.core.models import Organisation
from wulian.suggestions import imports, redact, selectors, services
from wulian.suggestions.choices import (
    Category,
    RaisedDuring,
)
from wulian.suggestions.filters import SuggestionFilter
from wulian.suggestions.forms import (
    CampaignForm,
    ConsultationForm,
    ImportForm,
    SessionForm,
    organisations,
    service_data,
)
from wulian.suggestions.models import (
    Assignment,
    AssignmentBatch,
    Campaign,
    CampaignOpinion,
    CongressSession,
    Suggestion,
    SupervisionOrder,
)
from wulian.suggestions.policies import assigning_org_ids, congress_org_ids

logger = logging.getLogger(__name__)

# --- Output -------------------------------------------------------------------------------------


class _FormCreate(FormCreate):
    """The page's form as the body, its fields named as the page's services take them."""

    def create_data(self, form: Any) -> dict[str, Any]:
        return service_data(form)


class SuggestionRowSerializer(serializers.ModelSerializer):
    session = serializers.CharField(source="session.name", read_only=True)
    lead_deputy_name = serializers.CharField(source="lead_deputy.name", read_only=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True, default=None)
    contact_overdue = serializers.BooleanField(read_only=True)
    reply_overdue = serializers.BooleanField(read_only=True)
    verdict = serializers.SerializerMethodField()

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "session",
            "number",
            "title",
            "category",
            "raised_during",
            "status",
            "lead_deputy",
            "lead_deputy_name",
            "lead_unit",
            "lead_unit_name",
            "assigned_at",
            "contact_due_at",
            "first_contact_at",
            "contact_overdue",
            "reply_due_at",
            "replied_at",
            "reply_round",
            "reply_category",
            "reply_overdue",
            "verdict",
            "is_key",
            "public",
            "version",
        ]
        read_only_fields = fields

    def get_verdict(self, s: Suggestion) -> str | None:
        """Private: null for those who may not see verdicts."""
        may = self.context.get("may_see_verdicts")
        if may is None:
            may = access.can(self.context["request"].user, "suggestions.verdict.view", s)
        return s.verdict or None if may else None


AssignmentOutSerializer = read_only(
    "AssignmentOutSerializer",
    Assignment,
    [
        "id",
        "unit",
        "unit_name",
        "role",
        "status",
        "assigned_at",
        "respond_by",
        "respond_by_provisional",
        "received_at",
        "sent_back_at",
        "sent_back_reason",
        "settled_at",
        "replacement",
        "version",
    ],
    unit_name=name_of("unit"),
)


class SuggestionDetailSerializer(SuggestionRowSerializer):
    co_signers = serializers.SerializerMethodField()
    assignments = AssignmentOutSerializer(many=True, read_only=True)
    replies = serializers.SerializerMethodField()

    class Meta(SuggestionRowSerializer.Meta):
        fields = [
            *SuggestionRowSerializer.Meta.fields,
            "content",
            "co_signers",
            "assignments",
            "replies",
            "not_accepted_reason",
            "not_accepted_note",
            "withdrawn_at",
            "published_at",
            "public_title",
            "public_content",
            "public_approved_at",
        ]
        read_only_fields = fields

    def get_co_signers(self, s: Suggestion) -> list[dict[str, Any]]:
        return [{"id": c.person_id, "name": c.person.name} for c in s.cosigners.all()]

    def get_replies(self, s: Suggestion) -> list[dict[str, Any]]:
        """Each reply with its attachments (a merged suggestion's reply carries its own copies
        of the primary reply's files); `url` downloads the file."""
        replies = list(s.replies.order_by("round"))
        files = selectors.reply_files(replies)
        return [
            {
                "round": r.round,
                "unit": r.unit_id,
                "category": r.category,
                "signer": r.signer,
                "text": r.text,
                "public_text": r.public_text,
                "published_text": r.published_text,
                "face_to_face": r.face_to_face,
                "sent_at": r.sent_at,
                "on_time": r.on_time,
                "attachments": [
                    {
                        "id": a.pk,
                        "file_name": a.original_name,
                        "size": a.size,
                        "media_type": a.media_type,
                        "sm3": a.sm3,
                        "url": reverse(
                            "suggestions_api:suggestion-reply-file",
                            kwargs={"pk": s.pk, "attachment_id": a.pk},
                        ),
                    }
                    for a in files.get(r.pk, [])
                ],
            }
            for r in replies
        ]


BatchSerializer = read_only(
    "BatchSerializer",
    AssignmentBatch,
    [
        "id",
        "state",
        "proposed_org",
        "proposed_at",
        "items",
        "note",
        "consultation",
        "confirmed_org",
        "confirmed_at",
        "return_reason",
        "version",
    ],
)


OrderSerializer = read_only(
    "OrderSerializer",
    SupervisionOrder,
    [
        "id",
        "suggestion",
        "kind",
        "issued_by_org",
        "issued_at",
        "to_unit",
        "requirements",
        "due_at",
        "due_provisional",
        "state",
        "response",
        "responded_at",
        "closed_at",
        "escalated_to_cdi_at",
        "version",
    ],
)


CampaignSerializer = read_only(
    "CampaignSerializer",
    Campaign,
    [
        "id",
        "name",
        "year",
        "organiser",
        "starts_on",
        "ends_on",
        "state",
        "collected",
        "completed",
    ],
    collected=serializers.IntegerField(read_only=True),
    completed=serializers.IntegerField(read_only=True),
)


OpinionSerializer = read_only(
    "OpinionSerializer",
    CampaignOpinion,
    [
        "id",
        "campaign",
        "number",
        "content",
        "collected_by",
        "collected_on",
        "place",
        "state",
        "unit",
        "assigned_at",
        "result",
        "completed_at",
        "version",
    ],
)


# --- Input --------------------------------------------------------------------------------------


def _id(**kw: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=10**18 - 1, **kw)


class SubmitIn(serializers.Serializer):
    session = _id(required=False, allow_null=True)
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=20_000)
    category = serializers.ChoiceField(choices=Category.choices)
    raised_during = serializers.ChoiceField(choices=RaisedDuring.choices, required=False)
    lead_deputy = _id(required=False, allow_null=True)
    co_signers = serializers.ListField(child=_id(), required=False, max_length=50)


class ProposeItemIn(serializers.Serializer):
    suggestion = _id()
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    lead_unit = _id()
    co_units = serializers.ListField(child=_id(), required=False, max_length=10)


class ProposeIn(serializers.Serializer):
    items = ProposeItemIn(many=True, allow_empty=False, max_length=500)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    consultation = _id(required=False, allow_null=True)
    proposed_org = _id(required=False, allow_null=True)


class PublicTextOut(serializers.Serializer):
    field = serializers.CharField(help_text="title, content or reply_<round>")
    label = serializers.CharField()
    original = serializers.CharField(help_text="The deputy's or the unit's text.")
    allowed = serializers.BooleanField(
        help_text="False: the unit wrote no public text for this reply; it cannot be shown."
    )
    proposed = serializers.CharField(
        help_text="The approved text of a published suggestion, else the original redacted."
    )
    preview = serializers.CharField(help_text="What the public page shows for `proposed`.")
    masked = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        help_text="[start, end) of each span of `proposed` that redaction masks (code points).",
    )
    original_masked = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        help_text="The same for `original`.",
    )


class PublicationOut(serializers.Serializer):
    public = serializers.BooleanField()
    published_at = serializers.DateTimeField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()
    texts = PublicTextOut(many=True)


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


# --- Suggestions --------------------------------------------------------------------------------


@documented(
    "The ledger of deputies' suggestions (代表建议台账) the caller may see",
    "One suggestion",
    create=extend_schema(
        summary="Submit a suggestion (a deputy their own; congress staff for a deputy)",
        request=SubmitIn,
        responses={201: SuggestionDetailSerializer},
    ),
    publication=extend_schema(
        summary="The texts to approve for the public page, with their preview",
        parameters=[ID_PARAMETER],
        responses=PublicationOut,
    ),
    reply_file=extend_schema(
        summary="Download a file attached to one of the suggestion's replies",
        parameters=[
            ID_PARAMETER,
            OpenApiParameter(
                "attachment_id",
                {"type": "integer", "minimum": 1, "maximum": 10**18 - 1},
                OpenApiParameter.PATH,
                description="The attachment's id (replies[].attachments[].id).",
            ),
        ],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, as uploaded."
            ),
            410: OpenApiResponse(response=PROBLEM_REF, description="The file was removed."),
        },
    ),
)
class SuggestionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, RecordApiViewSet
):
    """Deputies' suggestions: the supervising side sees all, a unit those assigned to it, a
    deputy their own; verdicts are null for those who may not see them."""

    serializer_class = SuggestionRowSerializer
    filterset_class = SuggestionFilter
    pagination_class = KeysetPagination
    wulian_policy = "suggestions.suggestion.view"
    action_policies = {
        "create": ("suggestions.suggestion.submit",),
        "publication": ("suggestions.suggestion.manage",),
    }
    queryset = Suggestion.objects.none()

    def get_queryset(self) -> QuerySet:
        if self.action == "list":
            return selectors.suggestion_list(actor=self.request.user)
        return access.scope(
            self.request.user, "suggestions.suggestion.view", Suggestion.objects.all()
        )

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action != "list":
            return queryset
        filterset = SuggestionFilter(
            selectors.visible_filters(self.request.user, self.request.query_params),
            queryset=queryset,
            request=self.request,
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset.qs

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if self.action == "list":
            context["may_see_verdicts"] = access.can(self.request.user, "suggestions.verdict.view")
        return context

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return SuggestionRowSerializer if self.action == "list" else SuggestionDetailSerializer

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        s = (
            Suggestion.objects.select_related("session", "lead_deputy", "lead_unit")
            .prefetch_related("cosigners__person", "assignments__unit")
            .filter(pk=pk)
            .first()
        )
        if s is None or not access.can(self.request.user, "suggestions.suggestion.view", s):
            return Response({"id": pk}, status=code)
        return Response(
            SuggestionDetailSerializer(s, context={"request": self.request}).data, status=code
        )

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(self.get_object().pk)

    def create(self, request: Request) -> Response:
        d = _valid(SubmitIn, request)
        s = services.suggestion_submit(
            actor=request.user,
            data={
                "session_id": d.get("session"),
                "title": d["title"],
                "content": d["content"],
                "category": d["category"],
                "raised_during": d.get("raised_during", ""),
                "lead_deputy_id": d.get("lead_deputy"),
                "co_signer_ids": d.get("co_signers", []),
            },
        )
        return self._detail(s.pk, status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"])
    def publication(self, request: Request, pk: str) -> Response:
        s = self.get_object()
        pub = selectors.publication(suggestion=s)
        return Response(
            {
                "public": s.public,
                "published_at": s.published_at,
                "approved_at": s.public_approved_at,
                "version": s.version,
                "texts": [
                    {
                        "field": t.field,
                        "label": t.label,
                        "original": t.original,
                        "allowed": t.allowed,
                        "proposed": t.proposed,
                        "preview": redact.redact(t.proposed, pub.names),
                        "masked": [list(x) for x in redact.spans(t.proposed, pub.names)],
                        "original_masked": [list(x) for x in redact.spans(t.original, pub.names)],
                    }
                    for t in pub.texts
                ],
            }
        )

    @action(
        detail=True,
        methods=["get"],
        url_path=r"reply-files/(?P<attachment_id>[0-9]{1,18})",
        url_name="reply-file",
    )
    def reply_file(self, request: Request, pk: str, attachment_id: str) -> HttpResponse:
        s = self.get_object()
        att = selectors.reply_file(suggestion=s, attachment_id=int(attachment_id))
        if att is None:
            raise Http404
        try:
            att, fh = attachment_services.attachment_open(actor=request.user, attachment_id=att.pk)
        except attachment_services.AttachmentGone:
            return problem(410, code="gone", detail=_("该附件已被移除，不再提供下载。"))
        except FileNotFoundError:
            logger.error("attachment %s: stored file is missing", att.pk)
            return problem(
                500,
                detail=_("附件文件在存储中缺失，请联系系统管理员（附件编号 %(pk)s）。")
                % {"pk": att.pk},
            )
        return file_response(att, fh)


# --- Joint assignment -----------------------------------------------------------------------------


@documented(
    "Joint-assignment batches (联合交办)",
    "One batch",
    create=extend_schema(
        summary="Prepare a joint assignment of one or many suggestions",
        request=ProposeIn,
        responses={201: BatchSerializer},
    ),
)
class BatchViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, RecordApiViewSet
):
    serializer_class = BatchSerializer
    pagination_class = KeysetPagination
    wulian_policy = "suggestions.batch.view"
    action_policies = {"create": ("suggestions.suggestion.assign",)}
    queryset = AssignmentBatch.objects.none()
    listed = (selectors, "batch_list")

    def create(self, request: Request) -> Response:
        d = _valid(ProposeIn, request)
        batch = services.batch_propose(
            actor=request.user,
            items=[
                {
                    "suggestion_id": i["suggestion"],
                    "version": i["version"],
                    "lead_unit_id": i["lead_unit"],
                    "co_unit_ids": i.get("co_units", []),
                }
                for i in d["items"]
            ],
            note=d.get("note", ""),
            consultation_id=d.get("consultation"),
            proposed_org_id=d.get("proposed_org"),
        )
        return Response(BatchSerializer(batch).data, status=status.HTTP_201_CREATED)


# --- Campaigns ------------------------------------------------------------------------------------


class CampaignIn(CampaignForm):
    """The page's form (`suggestions:campaign_list`) as the API's body: `organiser` one of the
    caller's congress offices."""

    schema_kwargs = {"organisers": Organisation.objects.none()}


@documented(
    "Campaigns (三进三促) with collected and completed counts",
    "One campaign",
    create=creating(
        CampaignIn,
        "Create a campaign (创建三进三促活动): the page's form, service and policy",
        CampaignSerializer,
    ),
)
class CampaignViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, _FormCreate, RecordApiViewSet
):
    serializer_class = CampaignSerializer
    wulian_policy = "suggestions.campaign.view"
    action_policies = {"create": ("suggestions.campaign.manage",)}
    create_form = CampaignForm
    create_service = staticmethod(services.campaign_create)
    queryset = Campaign.objects.none()
    listed = (selectors, "campaign_list")

    def create_choices(self, actor: access.Actor) -> dict[str, Any]:
        return {"organisers": organisations(congress_org_ids(actor))}


@documented("Campaign opinions the caller may see", "One campaign opinion")
class OpinionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RecordApiViewSet):
    serializer_class = OpinionSerializer
    pagination_class = KeysetPagination
    wulian_policy = "suggestions.campaignopinion.view"
    queryset = CampaignOpinion.objects.none()

    def get_queryset(self) -> QuerySet:
        return access.scope(
            self.request.user, "suggestions.campaignopinion.view", CampaignOpinion.objects.all()
        ).order_by("-id")


# --- Sessions (届次会次) ----------------------------------------------------------------------


SessionSerializer = read_only(
    "SessionSerializer",
    CongressSession,
    [
        "id",
        "name",
        "year",
        "opens_on",
        "closes_on",
        "office",
        "office_name",
        "is_current",
    ],
    office_name=name_of("office"),
)


@documented(
    "The congress's sessions (届次会次), newest first",
    create=creating(
        SessionForm,
        "Add a session (新增届次会次): the page's form, service and policy",
        SessionSerializer,
    ),
)
class SessionViewSet(mixins.ListModelMixin, _FormCreate):
    """The sessions as the page `suggestions:session_list` lists and adds them (a suggestion's
    and an import's `session`)."""

    serializer_class = SessionSerializer
    wulian_policy = "suggestions.suggestion.manage"
    create_form = SessionForm
    create_service = staticmethod(services.session_create)
    queryset = CongressSession.objects.none()

    def get_queryset(self) -> QuerySet:
        return CongressSession.objects.select_related("office").order_by("-opens_on", "-id")


# --- Pre-consultations (承办大户提前会商) -------------------------------------------------------


class ConsultationIn(ConsultationForm):
    """The page's form (`suggestions:consultation_create`) as the API's body: `organiser` one
    of the caller's assigning offices, `units` the handling units taking part (ids)."""

    schema_kwargs = {"organisers": Organisation.objects.none()}


class ConsultationCreate(APIView):
    """`POST /api/v1/suggestion-consultations/`: record a pre-consultation with the big
    handlers before a joint assignment — the page's form, service and policy; 201 and the
    joint meeting (an activity), which a batch then names as its `consultation`."""

    wulian_policy = "suggestions.suggestion.assign"

    @extend_schema(
        operation_id="suggestion_consultations_create",
        summary="Record a pre-consultation with the big handlers (承办大户提前会商)",
        tags=["suggestion-consultations"],
        request={"application/json": steps.request_schema(ConsultationIn)},
        responses={
            201: ActivitySerializer,
            400: OpenApiResponse(PROBLEM_REF, description="problem+json"),
            403: OpenApiResponse(PROBLEM_REF, description="problem+json"),
        },
    )
    def post(self, request: Request) -> Response:
        actor = access.actor_for(request.user)
        mine = organisations(assigning_org_ids(actor))
        form = steps.api_form(lambda data: ConsultationForm(data, organisers=mine), request.data)
        activity = services.consultation_record(actor=actor, data=service_data(form))
        fresh = (
            Activity.objects.select_related("organiser")
            .prefetch_related("participants__organisation", "participants__person")
            .get(pk=activity.pk)
        )
        return Response(ActivitySerializer(fresh).data, status=status.HTTP_201_CREATED)


# --- Import (.xlsx) -------------------------------------------------------------------------


SuggestionImport = api_imports.upload_view(
    name="suggestions",
    policy="suggestions.suggestion.import",
    form=ImportForm,
    run=lambda actor, d: imports.suggestions_import(
        actor=actor, session_id=d["session"].pk, file=d["file"]
    ),
    summary=lambda result: _("已导入 %(n)d 件代表建议。") % {"n": result.counts["created"]},
    title="Import a session's suggestions from an .xlsx workbook (导入代表建议): every row is "
    "checked and all are imported, or none",
    tag="suggestions",
)
SuggestionImportTemplate = api_imports.template_view(
    name="suggestions",
    policy="suggestions.suggestion.import",
    body=imports.template_workbook,
    filename=lambda: _("代表建议导入模板.xlsx"),
    tag="suggestions",
)
