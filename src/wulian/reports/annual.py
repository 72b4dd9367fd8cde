"""The annual 五联 report: one section per link, every figure counted from the records of the
year — never typed — and set in the GB/T 9704 layout (`wulian report annual --year 2023`, the
page `/reports/annual/`). ADR 0033.

Each app that contributes says what it writes in a module `<app>/annual.py`:

- `parts(year) -> list[Part]`: its paragraphs for the year, under one of the five links
  (`LINKS`), with `order` placing it among the link's other parts, and `figures` naming every
  number a paragraph states (`"suggestions.answered": 187`), so that a test can hold each
  sentence to the records, figure by figure. An app with nothing for the year returns [].

What a report may say: it is a document of the two bodies about the whole city, the same for
whoever opens it, so each provider counts every record of the year (as `wulian figures` does
on the server) and writes **only aggregates an outside reader may see** — the article's kind
of figures. Nothing that may point at a person: no clue counts, no names of residents or
officials, no split too small to stand apart. Who may open it is decided at the door
(`reports.annual.view`: the desks of the congress side and of the CDI side).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import Any

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wulian.core.choices import OrgKind
from wulian.core.documents import OfficialDocument
from wulian.core.models import Organisation

# The five links in the article's order: (key, heading).
LINKS: list[tuple[str, Any]] = [
    ("consultation", gettext_lazy("监督事项联商")),
    ("evaluation", gettext_lazy("部门工作联评")),
    ("livelihood", gettext_lazy("民生实事联督")),
    ("judicial", gettext_lazy("司法监督联动")),
    ("suggestions", gettext_lazy("意见建议联办")),
]
LINK_KEYS = [key for key, _heading in LINKS]
NUMERALS = "一二三四五六七八九十"

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Part:
    """One provider's paragraphs under a link, and the figures they state."""

    link: str
    order: int
    paragraphs: list[str]
    figures: dict[str, int | str] = field(default_factory=dict)
    table: tuple[list[str], list[list[str]]] | None = None


@dataclass
class Section:
    link: str
    heading: str
    parts: list[Part] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return [p for part in self.parts for p in part.paragraphs]


@dataclass
class AnnualReport:
    year: int
    title: str
    issuer: str
    recipients: str
    intro: str
    sections: list[Section]
    dated: date

    @property
    def figures(self) -> dict[str, int | str]:
        out: dict[str, int | str] = {}
        for section in self.sections:
            for part in section.parts:
                out.update(part.figures)
        return out

    def figure(self, key: str) -> int | str:
        return self.figures[key]

    def as_dict(self) -> dict[str, Any]:
        """Plain data (the API): the title, the sections' paragraphs and every figure."""
        return {
            "year": self.year,
            "title": self.title,
            "issuer": self.issuer,
            "recipients": self.recipients,
            "intro": self.intro,
            "sections": [
                {"link": s.link, "heading": s.heading, "paragraphs": s.paragraphs}
                for s in self.sections
            ],
            "figures": self.figures,
        }

    @property
    def filename(self) -> str:
        return _("%(y)d年度“五联”工作情况报告.docx") % {"y": self.year}


def providers() -> list[ModuleType]:
    """Every installed app's `annual` module (a link that lands adds its part, nothing here)."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.annual"
        if config.name == __name__.rsplit(".", 1)[0]:
            continue
        try:
            if find_spec(name) is None:
                continue
        except ModuleNotFoundError:
            continue
        module = import_module(name)
        if hasattr(module, "parts"):
            found.append(module)
    return found


def _org_name(kind: str, fallback: str) -> str:
    org = Organisation.objects.filter(kind=kind, parent__isnull=True).order_by("pk").first()
    if org is None:
        org = Organisation.objects.filter(kind=kind).order_by("pk").first()
    return org.name if org else fallback


def build(year: int) -> AnnualReport:
    """The report for `year`, every number counted now from the records."""
    sections = {key: Section(key, str(heading)) for key, heading in LINKS}
    for module in providers():
        for part in module.parts(year):
            if part.link not in sections:
                raise ValueError(f"{module.__name__}: unknown link {part.link!r}")
            if part.paragraphs:
                sections[part.link].parts.append(part)
    for section in sections.values():
        section.parts.sort(key=lambda p: p.order)
    congress = _org_name(OrgKind.CONGRESS, str(_("市人大常委会")))
    cdi = _org_name(OrgKind.CDI, str(_("市纪委监委")))
    today = timezone.localdate()
    # A past year's report is dated at the year's end; this year's, today.
    dated = today if year >= today.year else date(year, 12, 31)
    return AnnualReport(
        year=year,
        title=_("关于%(y)d年度人大监督与纪检监察监督“五联”工作情况的报告") % {"y": year},
        issuer=congress,
        recipients=cdi,
        intro=_(
            "%(y)d年，%(c)s与%(d)s建立监督事项联商、部门工作联评、民生实事联督、司法监督联动、"
            "意见建议联办的“五联”工作机制，发挥人大监督与纪检监察监督在信息、力量、措施、"
            "成果上的优势互补。现将%(y)d年度工作情况报告如下。以下数据均由五联平台"
            "根据%(y)d年度工作记录统计生成。"
        )
        % {"y": year, "c": congress, "d": cdi},
        sections=[sections[key] for key in LINK_KEYS],
        dated=dated,
    )


def to_docx(report: AnnualReport) -> bytes:
    """The report as a 公文 (GB/T 9704): a heading per link, its paragraphs and tables."""
    doc = OfficialDocument(issuer=report.issuer, title=report.title, recipients=report.recipients)
    doc.paragraph(report.intro)
    for n, section in enumerate(report.sections):
        doc.heading1(f"{NUMERALS[n]}、{section.heading}")
        if not section.parts:
            doc.paragraph(_("本年度暂无工作记录。"))
        for part in section.parts:
            for text in part.paragraphs:
                doc.paragraph(text)
            if part.table:
                headers, rows = part.table
                doc.table(headers, rows)
    doc.signature(org=report.issuer, date=report.dated, sealed=False)
    return doc.to_bytes()


def years() -> list[int]:
    """The years offered on the page: this year and the five before it."""
    this = timezone.localdate().year
    return list(range(this, this - 6, -1))
