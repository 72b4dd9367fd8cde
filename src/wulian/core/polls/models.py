"""Secret ballots (测评 / 票决): a poll, its items and rater groups, who may vote, and ballots
that cannot be traced to whoever cast them (ADR 0022).

Where secrecy is kept:
- **Ballot** rows exist only from the sealing on: written in one transaction, in a random
  order, with random ids and no time; a ballot has its group, its receipt code and its
  choices, and no link to a person, a token, a request or the moment it was cast.
- While the poll is open a cast ballot waits in the **urn** (`UrnEntry`): its content is
  encrypted with the poll's own key, which is kept sealed by the site's field key and destroyed
  at the sealing. Whoever reads the database — its rows, their order, their transaction ids,
  its write-ahead log — sees that an urn entry was written when a person was marked as having
  voted, but not what the entry says; after the sealing nobody can read it any more.
- The roster records only that a person has voted (`RosterEntry.has_voted`), a slip only that
  it was used; the audit chain records "voted in poll P" for the person, never the ballot.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wulian.core.fields import protected_fk
from wulian.core.models import Organisation, Person, Versioned
from wulian.core.polls.choices import PollKind, PollState, TallyRule


class Poll(Versioned):
    title = models.CharField(_("测评（票决）名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=PollKind.choices)
    rule = models.CharField(_("计票规则"), max_length=24, choices=TallyRule.choices)
    places = models.PositiveIntegerField(_("应选名额"), null=True, blank=True)
    points = models.JSONField(_("各选项分值"), default=dict, blank=True)
    threshold = models.PositiveIntegerField(
        _("整改分数线"),
        null=True,
        blank=True,
        help_text=_("加权得分低于此分数，或评定为不满意时，通知所关联的事项。"),
    )
    quorum = models.PositiveIntegerField(_("有效投票最低人数"), default=0)
    organiser = protected_fk(Organisation, _("组织单位"))
    witness = protected_fk(Organisation, _("见证单位"))
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    state = models.CharField(
        _("状态"), max_length=16, choices=PollState.choices, default=PollState.DRAFT
    )
    # The poll's urn key, sealed with the field key; emptied at the sealing (ADR 0022).
    urn_key = models.TextField(blank=True, editable=False)
    seal = models.CharField(_("封存摘要"), max_length=64, blank=True, editable=False)
    result = models.JSONField(default=dict, blank=True, editable=False)
    # What the poll rates, when it rates a record of a link (an evaluation, a project …).
    subject_type = models.CharField(max_length=100, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("测评（票决）")
        ordering = ["-opens_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("polls:poll_detail", args=[self.pk])


class PollItem(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    label = models.CharField(_("测评（票决）对象"), max_length=200)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class RaterGroup(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="groups")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(_("评议主体"), max_length=60)
    weight = models.PositiveIntegerField(_("权重"), default=1)
    # 应参加人数: the base of "more than half of all members"; 0 counts the roster, the slips
    # printed and the paper ballots.
    members = models.PositiveIntegerField(_("应参加人数"), default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "name"], name="polls_group_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class RosterEntry(models.Model):
    """A person who may vote in a group with their own account. Only whether they voted."""

    group = models.ForeignKey(RaterGroup, on_delete=models.CASCADE, related_name="roster")
    person = protected_fk(Person)
    has_voted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="polls_roster_unique")
        ]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.person_id}"


class Slip(models.Model):
    """A one-time code printed on a slip handed out in the room: it votes once, for its group.
    Only its digest is kept; nothing records who took which slip."""

    group = models.ForeignKey(RaterGroup, on_delete=models.CASCADE, related_name="slips")
    digest = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"slip {self.pk}"


class UrnEntry(models.Model):
    """A cast ballot while the poll is open, encrypted with the poll's urn key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="+")
    sealed = models.TextField()

    def __str__(self) -> str:
        return f"urn {self.pk}"


class Ballot(models.Model):
    """A counted ballot, published after the sealing under its receipt code."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    group = models.ForeignKey(RaterGroup, on_delete=models.CASCADE, related_name="+")
    receipt = models.CharField(_("回执码"), max_length=16)
    # {item id (text): option or "" for left blank}
    choices = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "receipt"], name="polls_receipt_unique")
        ]

    def __str__(self) -> str:
        return self.receipt


class PaperTally(models.Model):
    """Paper ballots of one group, counted in the room and entered twice, by two clerks; the
    two entries must agree before the poll is sealed (the witness co-signs the whole tally)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="paper_tallies")
    group = models.ForeignKey(RaterGroup, on_delete=models.CASCADE, related_name="+")
    entry = models.PositiveSmallIntegerField()  # 1 or 2
    clerk = protected_fk(settings.AUTH_USER_MODEL)
    ballots = models.PositiveIntegerField(_("纸质票张数"))
    # {item id (text): {option: count}}
    counts = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "group", "entry"], name="polls_paper_entry_unique"
            )
        ]

    def __str__(self) -> str:
        return f"paper {self.group_id}/{self.entry}"


class CodeFailure(models.Model):
    """A slip code refused on the public voting page or the vote API: counted per client
    address so that codes cannot be guessed (too many within the window: wait). Kept only for
    the window; nothing says which code was tried."""

    ip = models.CharField(max_length=45, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.ip} {self.at}"
