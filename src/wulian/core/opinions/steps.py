"""The steps of an opinion round (征求意见), declared once: the round page's forms and
`POST /api/v1/opinion-rounds/{id}/<step>/` are made from them (wulian.core.steps, ADR 0017):
the drafting side adds a version, invites, opens, disposes of comments, closes and concludes;
an invitee comments or says 无意见."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wulian.api.readonly import read_only
from wulian.core import access, steps
from wulian.core.opinions import selectors, services
from wulian.core.opinions.forms import (
    CommentForm,
    DisposeForm,
    InviteForm,
    NoOpinionForm,
    VersionForm,
    VersionOnlyForm,
)
from wulian.core.opinions.models import Comment, DraftVersion, Invitee, OpinionRound
from wulian.core.opinions.policies import comments_shown, drafting_side, my_invitees
from wulian.core.steps import RecordBinding


class VersionOut(serializers.ModelSerializer):
    paragraphs = serializers.SerializerMethodField()

    class Meta:
        model = DraftVersion
        fields = ["number", "source", "filename", "note", "created_at", "paragraphs"]
        read_only_fields = fields

    def get_paragraphs(self, obj: DraftVersion) -> list[dict[str, Any]]:
        return [{"number": p.number, "text": p.text} for p in obj.paragraphs.all()]


InviteeOut = read_only(
    "InviteeOut",
    Invitee,
    ["id", "organisation", "person", "name", "due_at", "no_opinion_at"],
    name=serializers.CharField(read_only=True),
)


CommentOut = read_only(
    "CommentOut",
    Comment,
    [
        "id",
        "invitee",
        "version_number",
        "paragraph_number",
        "text",
        "created_at",
        "disposition",
        "reason",
        "disposed_at",
        "version",
    ],
    version_number=serializers.IntegerField(source="draft_version.number", read_only=True),
    paragraph_number=serializers.IntegerField(
        source="paragraph.number", read_only=True, allow_null=True, default=None
    ),
)


RoundOut = read_only(
    "RoundOut",
    OpinionRound,
    [
        "id",
        "drafter",
        "title",
        "year",
        "state",
        "working_days",
        "opened_at",
        "closes_at",
        "closed_at",
        "concluded_at",
        "version",
        "versions",
        "invitees",
        "comments",
    ],
    versions=VersionOut(many=True, read_only=True),
    invitees=InviteeOut(many=True, read_only=True),
    comments=CommentOut(many=True, read_only=True),
)


def serialize(round_: OpinionRound, actor: access.Actor) -> dict[str, Any]:
    """The round as the API answers it: an invitee sees its own invitation and comments (every
    comment once concluded); the drafting side sees all."""
    fresh = selectors.round_detail(actor=actor, round_id=round_.pk)
    data = RoundOut(fresh).data
    shown = {c.pk for c in comments_shown(actor, fresh, list(fresh.comments.all()))}
    data["comments"] = [c for c in data["comments"] if c["id"] in shown]
    if not drafting_side(actor, fresh):
        mine = {i.pk for i in my_invitees(actor, fresh)}
        data["invitees"] = [i for i in data["invitees"] if i["id"] in mine]
    return data


def _invalid(request: Any, round_: OpinionRound, step: Any, form: Any, **kw: Any) -> Any:
    from wulian.core.opinions.views import _detail_page

    return _detail_page(request, round_.pk, forms={step.name: form}, status=kw["status"])


steps.record(
    RecordBinding(
        model=OpinionRound,
        queryset=lambda: OpinionRound.objects.prefetch_related("invitees"),
        view_action="opinions.round.view",
        url=lambda r: r.get_absolute_url(),
        invalid=_invalid,
        api_path="opinion-rounds",
        api_name="opinion-round",
        serialize=serialize,
        response=RoundOut,
        id_arg="round_id",
    )
)

round_step = steps.on(OpinionRound, url_prefix="round_")


def _mine(actor: access.Actor, round_: OpinionRound) -> dict[str, Any]:
    return {"mine": selectors.mine_unanswered(actor, round_)}


def _silent(actor: access.Actor, round_: OpinionRound) -> dict[str, Any]:
    return {"mine": selectors.mine_silent(actor, round_)}


steps.declare(
    round_step(
        "add_version",
        action="opinions.round.manage",
        form=VersionForm,
        service=services.version_add,
        done=_("新稿已保存，段落重新编号；此前各稿及其意见仍可查看。"),
        summary="The drafting side adds a new version of the draft (上传新稿)",
        anchor="#draft",
    ),
    round_step(
        "invite",
        action="opinions.round.manage",
        form=InviteForm,
        service=services.invite,
        done=_("已加入受邀名单。征求意见发出后，受邀单位和人员将收到通知。"),
        summary="The drafting side invites organisations and named people (邀请)",
        anchor="#invitees",
    ),
    round_step(
        "open",
        action="opinions.round.manage",
        form=VersionOnlyForm,
        service=services.round_open,
        done=_("征求意见已发出，已通知受邀单位和人员；截止前将提醒尚未提出意见的。"),
        summary="The drafting side sends the draft out for opinions (发出征求意见)",
    ),
    round_step(
        "comment",
        action="opinions.round.comment",
        form=CommentForm,
        form_kwargs=_mine,
        service=services.comment_add,
        done=_("意见已提交，起草单位将逐条处理并在办结时反馈采纳情况。"),
        summary="An invitee comments on a paragraph or on the whole draft (提出意见)",
        anchor="#comments",
    ),
    round_step(
        "no_opinion",
        action="opinions.round.comment",
        form=NoOpinionForm,
        form_kwargs=_silent,
        service=services.no_opinion,
        done=_("已表示无意见，起草单位可在本页看到。"),
        summary="An invitee says it has no opinion (无意见)",
        anchor="#invitees",
    ),
    round_step(
        "dispose",
        action="opinions.round.manage",
        form=DisposeForm,
        service=services.comment_dispose,
        done=_("处理结果已保存。全部意见处理完毕后可办结并印发意见采纳情况说明。"),
        summary="The drafting side disposes of one comment: adopted, partly, declined (处理意见)",
        anchor="#comments",
    ),
    round_step(
        "close",
        action="opinions.round.manage",
        form=VersionOnlyForm,
        service=services.round_close,
        done=_("征求意见已截止，不再接受意见。"),
        summary="The drafting side closes the round before its closing time (截止征求)",
    ),
    round_step(
        "conclude",
        action="opinions.round.manage",
        form=VersionOnlyForm,
        service=services.round_conclude,
        done=_("已办结，意见采纳情况说明已发送给每个提出意见的单位和人员。"),
        summary="The drafting side concludes and issues the 意见采纳情况说明 (办结)",
        anchor="#explanation",
        confirm=_("办结后不能再处理意见，意见采纳情况说明将发送给提出意见的单位和人员。"),
    ),
)
