"""Official documents (公文) as .docx in the GB/T 9704-2012 layout, with python-docx.

    doc = OfficialDocument(issuer="黄石市人大常委会办公室", number="黄人常办〔2023〕12号",
                           title="关于交办市十五届人大二次会议代表建议的通知",
                           recipients="市人民政府办公室")
    doc.paragraph("…"); doc.heading1("一、…"); doc.heading2("（一）…"); doc.table(headers, rows)
    doc.attachments(["…"]); doc.signature(org="…", date=date(2023, 3, 1))
    doc.record(printer="…", date=date(2023, 3, 1), copies_to="…")
    data: bytes = doc.to_bytes()

What the layout follows (reference §1.1):

- A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (版心 156 × 225 mm); a document
  grid of 22 lines × 28 characters (``w:docGrid linesAndChars``, line pitch 579 twips, char
  space −848/4096 pt against the 16 pt body font).
- 发文机关标志: red (#FF0000) 方正小标宋简体, centred, sized to fit the 版心 width (at most 36 pt),
  its top 35 mm below the top of the 版心 (less the lines of 份号/密级/紧急程度 when there are
  any); 发文字号 two lines below it, centred, 3号仿宋, year in 〔〕; a red line the width of the
  版心 4 mm below the number.
- Title two lines below the red line: 2号 (22 pt) 方正小标宋简体, centred; ``\\n`` breaks lines.
  主送机关 one line below the title, flush left, ending in a full-width colon.
- Body 3号 (16 pt) 仿宋_GB2312, first line indented two characters, lines at the grid's pitch;
  first-level headings (一、) 3号黑体, second-level (（一）) 3号楷体_GB2312; tables in 4号仿宋
  with a 黑体 header row.
- 附件说明 one line below the body, two characters in ("附件：1.……"), names without a full stop.
- 发文机关署名 and 成文日期 (Arabic numerals, no padding: 2023年12月5日): with a seal (the
  default) the date four characters from the right and the name centred over it; without one,
  the name two characters from the right and the date starting two characters further in.
- 版记 at the foot of the last page (a table anchored to the bottom margin): 抄送 and
  印发机关/印发日期 in 4号仿宋, one character in from either side, between a thick rule (0.35 mm),
  a thin one (0.25 mm) and a thick one.
- Page numbers 4号 (14 pt) half-width 宋体 "— 1 —" as a PAGE field: odd pages on the right,
  even pages on the left, one character in (``w:evenAndOddHeaders``).
- 份号, 密级和保密期限, 紧急程度 (optional): 3号黑体, flush left above the 标志, in that order.

Fonts are named, not embedded: a PC that opens the file needs 方正小标宋简体, 仿宋_GB2312,
楷体_GB2312, 黑体 and 宋体 installed (the standard set on government PCs: the 方正 and GB2312
fonts are licensed separately, 黑体/宋体 ship with Windows as SimHei/SimSun). Without them Word and
WPS substitute another CJK font and the line count per page may drift. Converting to PDF on a
server (LibreOffice) needs the same fonts supplied by the site; otherwise map them to
fonts-noto-cjk with fontconfig and expect slightly different line breaks.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date as Date

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

# Headings of a body given as text (OfficialDocument.body).
_H1 = re.compile(r"^[一二三四五六七八九十]+、")
_H2 = re.compile(r"^（[一二三四五六七八九十]+）")

# Sizes in points: the Chinese 号 (font size names) used here.
SIZE_2 = 22.0  # 二号
SIZE_3 = 16.0  # 三号
SIZE_4 = 14.0  # 四号

XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
SONGTI = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37, 35, 28, 26
TEXT_WIDTH_MM = PAGE_WIDTH_MM - LEFT_MM - RIGHT_MM  # 156
TEXT_HEIGHT_MM = PAGE_HEIGHT_MM - TOP_MM - BOTTOM_MM  # 225
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
_PT_PER_MM = 72 / 25.4
LINE_PITCH_TWIPS = int(TEXT_HEIGHT_MM * _PT_PER_MM * 20 / LINES_PER_PAGE)  # 579
LINE_PITCH_PT = LINE_PITCH_TWIPS / 20  # 28.95
CHAR_SPACE = round((TEXT_WIDTH_MM / CHARS_PER_LINE * _PT_PER_MM - SIZE_3) * 4096)  # -848
CHAR_PT = SIZE_3  # indents are counted in 3号 characters


def chinese_date(d: Date) -> str:
    """成文日期 as GB/T 9704 writes it: Arabic numerals, no padding (2023年12月5日)."""
    return f"{d.year}年{d.month}月{d.day}日"


def _width_in_chars(text: str) -> float:
    """Width in full-width characters: ASCII counts half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


# Child order the schema requires (Word refuses files that break it).
_PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]
_TBLPR_ORDER = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
]


def _put(parent, child, order: Sequence[str]) -> None:
    """Insert ``child`` into ``parent`` where the schema's sequence puts it, replacing any
    element of the same tag."""
    tag = child.tag.split("}")[1]
    for old in parent.findall(qn(f"w:{tag}")):
        parent.remove(old)
    later = set(order[order.index(tag) + 1 :])
    for i, existing in enumerate(parent):
        if existing.tag.split("}")[1] in later:
            parent.insert(i, child)
            return
    parent.append(child)


def _off_grid(paragraph) -> None:
    """Let a paragraph keep its own line height instead of snapping to the 22-line grid."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    _put(paragraph._p.get_or_add_pPr(), snap, _PPR_ORDER)


def _set_fonts(rpr_parent, name: str) -> None:
    """Name a font for every script, East Asian included (``w:rFonts/@w:eastAsia``), and drop any
    theme font that would override it."""
    fonts = rpr_parent.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), name)


def _border(tag: str, *, size_eighths: int, color: str = "000000", space: int = 0):
    el = OxmlElement(tag)
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), str(size_eighths))
    el.set(qn("w:space"), str(space))
    el.set(qn("w:color"), color)
    return el


def _no_border(tag: str):
    el = OxmlElement(tag)
    el.set(qn("w:val"), "nil")
    return el


def _field(paragraph, instruction: str, placeholder: str = "1"):
    """A complex field (e.g. PAGE) in its own runs; returns the run holding the placeholder."""
    runs = []
    for kind in ("begin", None, "separate", "text", "end"):
        run = paragraph.add_run()
        if kind == "text":
            run.text = placeholder
        elif kind is None:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        runs.append(run)
    return runs


DRAFT_MARK = "草稿"


class OfficialDocument:
    """A 公文 in the GB/T 9704-2012 layout (see the module docstring)."""

    def __init__(
        self,
        *,
        issuer: str,
        title: str,
        number: str = "",
        recipients: str = "",
        mark: str | None = None,
        copy_number: str = "",
        secrecy: str = "",
        urgency: str = "",
        draft: bool = False,
    ) -> None:
        """``issuer``: the issuing organ; ``mark``: the 发文机关标志 if not just the issuer (e.g.
        "黄石市人大常委会办公室文件"); ``number``: 发文字号 such as 黄人常办〔2023〕12号;
        ``recipients``: 主送机关 (a full-width colon is added); ``copy_number`` (份号),
        ``secrecy`` (密级和保密期限, e.g. 秘密★1年) and ``urgency`` (紧急程度: 特急/加急).
        ``draft``: not yet issued — marked 草稿 above everything, with no 发文字号 (a number is
        refused)."""
        if draft and number:
            raise ValueError("a draft has no document number")
        self.issuer = str(issuer)
        self.title = str(title)
        self._doc = Document()
        self._setup_page()
        self._setup_styles()
        self._page_numbers()
        self._doc.core_properties.title = self.title.replace("\n", "")
        self._doc.core_properties.author = self.issuer
        self._doc.core_properties.language = "zh-CN"
        self._head(
            mark=str(mark) if mark else self.issuer,
            number=str(number or ""),
            recipients=str(recipients or ""),
            above=[
                str(x) for x in (DRAFT_MARK if draft else "", copy_number, secrecy, urgency) if x
            ],
        )

    # -- page, styles, page numbers ---------------------------------------------------------------
    def _setup_page(self) -> None:
        section = self._doc.sections[0]
        section.start_type = WD_SECTION.NEW_PAGE
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
        section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
        section.header_distance = Mm(15)
        # The page number's line sits about 7 mm under the 版心.
        section.footer_distance = Mm(BOTTOM_MM - 7 - 5)
        sect_pr = section._sectPr
        for old in sect_pr.findall(qn("w:docGrid")):
            sect_pr.remove(old)
        grid = OxmlElement("w:docGrid")
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
        grid.set(qn("w:charSpace"), str(CHAR_SPACE))
        sect_pr.append(grid)

    def _setup_styles(self) -> None:
        styles = self._doc.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        fonts = rpr_default.find(qn("w:rFonts"))
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attr}"), None)
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{attr}"), FANGSONG)
        lang = rpr_default.find(qn("w:lang"))
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")
        normal = styles["Normal"]
        _set_fonts(normal.element, FANGSONG)
        normal.font.size = Pt(SIZE_3)
        fmt = normal.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PITCH_PT)
        fmt.widow_control = False

    def _page_numbers(self) -> None:
        self._doc.settings.odd_and_even_pages_header_footer = True
        section = self._doc.sections[0]
        for footer, align, side in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
        ):
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            p.alignment = align
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            if side == "right":
                p.paragraph_format.right_indent = Pt(SIZE_4)
            else:
                p.paragraph_format.left_indent = Pt(SIZE_4)
            runs = [p.add_run("— "), *_field(p, "PAGE"), p.add_run(" —")]
            for run in runs:
                self._style_run(run, SONGTI, SIZE_4)

    # -- building blocks ------------------------------------------------------------------------
    def _style_run(self, run, font: str, size: float, *, bold: bool = False, color=None) -> None:
        _set_fonts(run._r, font)
        run.font.size = Pt(size)
        if bold:
            run.font.bold = True
        if color is not None:
            run.font.color.rgb = color

    def _para(
        self,
        text: str = "",
        *,
        font: str = FANGSONG,
        size: float = SIZE_3,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_line_chars: float = 0,
        color=None,
    ):
        p = self._doc.add_paragraph()
        p.alignment = align
        if first_line_chars:
            p.paragraph_format.first_line_indent = Pt(CHAR_PT * first_line_chars)
        if text:
            lines = str(text).split("\n")
            for i, line in enumerate(lines):
                run = p.add_run(line)
                self._style_run(run, font, size, color=color)
                if i < len(lines) - 1:
                    run.add_break()
        return p

    def _blank(self, lines: int = 1) -> None:
        for _ in range(lines):
            self._para()

    def _head(self, *, mark: str, number: str, recipients: str, above: list[str]) -> None:
        for text in above:
            self._para(text, font=HEITI, align=WD_ALIGN_PARAGRAPH.LEFT)
        # 发文机关标志: its top 35 mm below the top of the 版心.
        width = max(_width_in_chars(mark), 1)
        size = max(min(36.0, int(TEXT_WIDTH_MM * _PT_PER_MM / width)), 16.0)
        p = self._para(
            mark, font=XIAOBIAOSONG, size=size, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED
        )
        fmt = p.paragraph_format
        fmt.space_before = Pt(max(35 * _PT_PER_MM - len(above) * LINE_PITCH_PT, 0))
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        _off_grid(p)
        self._blank(2)
        # 发文字号, and the red line 4 mm under it, the width of the 版心.
        p = self._para(number, align=WD_ALIGN_PARAGRAPH.CENTER)
        borders = OxmlElement("w:pBdr")
        borders.append(_border("w:bottom", size_eighths=12, color="FF0000", space=11))
        _put(p._p.get_or_add_pPr(), borders, _PPR_ORDER)
        self._red_line = p
        self._blank(2)
        self._para(self.title, font=XIAOBIAOSONG, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER)
        if recipients:
            self._blank(1)
            text = recipients if recipients.endswith(("：", ":")) else recipients + "："
            self._para(text.replace(":", "："), align=WD_ALIGN_PARAGRAPH.LEFT)

    # -- the public API ---------------------------------------------------------------------------
    def paragraph(self, text: str) -> None:
        """A body paragraph: 3号仿宋, first line two characters in."""
        self._para(text, first_line_chars=2)

    def heading1(self, text: str) -> None:
        """A first-level heading (一、…): 3号黑体."""
        self._para(text, font=HEITI, first_line_chars=2)

    def heading2(self, text: str) -> None:
        """A second-level heading (（一）…): 3号楷体_GB2312."""
        self._para(text, font=KAITI, first_line_chars=2)

    def table(self, headers: Sequence[object], rows: Sequence[Sequence[object]]) -> None:
        """A ruled table the width of the 版心: 4号仿宋, header row in 黑体."""
        table = self._doc.add_table(rows=1, cols=len(headers))
        table.style = self._doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cells, values, font in [
            (table.rows[0].cells, headers, HEITI),
            *((table.add_row().cells, row, FANGSONG) for row in rows),
        ]:
            for cell, value in zip(cells, values, strict=False):
                p = cell.paragraphs[0]
                p.alignment = (
                    WD_ALIGN_PARAGRAPH.CENTER if font == HEITI else WD_ALIGN_PARAGRAPH.LEFT
                )
                p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                _off_grid(p)
                run = p.add_run("" if value is None else str(value))
                self._style_run(run, font, SIZE_4)
        header = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        header.append(repeat)
        self._doc.add_paragraph()  # Word needs a paragraph between a table and what follows

    def attachments(self, names: Sequence[str]) -> None:
        """附件说明, one line below the body: "附件：1.……", the next names aligned under it."""
        names = [str(n).rstrip("。．.") for n in names if str(n).strip()]
        if not names:
            return
        self._blank(1)
        if len(names) == 1:
            self._para(f"附件：{names[0]}", first_line_chars=2, align=WD_ALIGN_PARAGRAPH.LEFT)
            return
        for i, name in enumerate(names, 1):
            p = self._para(
                f"附件：{i}.{name}" if i == 1 else f"{i}.{name}", align=WD_ALIGN_PARAGRAPH.LEFT
            )
            if i == 1:
                p.paragraph_format.first_line_indent = Pt(CHAR_PT * 2)
            else:
                p.paragraph_format.left_indent = Pt(CHAR_PT * 5)

    def signature(self, *, org: str, date: Date, sealed: bool = True) -> None:
        """发文机关署名 and 成文日期. Sealed (the default): the date four characters from the
        right, the name centred over it, room above for the seal. Unsealed: the name two
        characters from the right, the date starting two characters to its right."""
        org, when = str(org), chinese_date(date)
        org_w, date_w = _width_in_chars(org), _width_in_chars(when)
        if sealed:
            self._blank(2)
            date_right = 4.0
            org_right = max(date_right + (date_w - org_w) / 2, 0.0)
        else:
            self._blank(1)
            org_right = 2.0
            date_right = max(org_right + org_w - 2 - date_w, 0.0)
        for text, right in ((org, org_right), (when, date_right)):
            p = self._para(text, align=WD_ALIGN_PARAGRAPH.RIGHT)
            p.paragraph_format.right_indent = Pt(CHAR_PT * right)

    def record(self, *, printer: str, date: Date, copies_to: str = "") -> None:
        """版记 at the foot of the page: 抄送 (optional), then 印发机关 and 印发日期, between a
        thick, a thin and a thick rule the width of the 版心."""
        table = self._doc.add_table(rows=0, cols=1)
        tbl_pr = table._tbl.tblPr
        # Anchor the table to the bottom of the 版心 of the page it ends up on.
        position = OxmlElement("w:tblpPr")
        position.set(qn("w:vertAnchor"), "margin")
        position.set(qn("w:horzAnchor"), "margin")
        position.set(qn("w:tblpYSpec"), "bottom")
        position.set(qn("w:tblpXSpec"), "center")
        _put(tbl_pr, position, _TBLPR_ORDER)
        width = OxmlElement("w:tblW")
        width.set(qn("w:w"), str(int(TEXT_WIDTH_MM * _PT_PER_MM * 20)))
        width.set(qn("w:type"), "dxa")
        _put(tbl_pr, width, _TBLPR_ORDER)
        borders = OxmlElement("w:tblBorders")
        borders.append(_border("w:top", size_eighths=8))  # 0.35 mm ≈ 1 pt
        borders.append(_no_border("w:left"))
        borders.append(_border("w:bottom", size_eighths=8))
        borders.append(_no_border("w:right"))
        borders.append(_border("w:insideH", size_eighths=6))  # 0.25 mm ≈ 0.75 pt
        borders.append(_no_border("w:insideV"))
        _put(tbl_pr, borders, _TBLPR_ORDER)
        lines: list[tuple[str, str]] = []
        if copies_to:
            lines.append((f"抄送：{str(copies_to).rstrip('。')}。", ""))
        lines.append((str(printer), f"{chinese_date(date)}印发"))
        for left, right in lines:
            p = table.add_row().cells[0].paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            fmt = p.paragraph_format
            fmt.left_indent = fmt.right_indent = Pt(SIZE_4)
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            fmt.space_before = fmt.space_after = Pt(3)
            _off_grid(p)
            run = p.add_run(left)
            self._style_run(run, FANGSONG, SIZE_4)
            if right:
                tab_at = TEXT_WIDTH_MM * _PT_PER_MM - 2 * SIZE_4
                fmt.tab_stops.add_tab_stop(Pt(tab_at), WD_TAB_ALIGNMENT.RIGHT)
                run = p.add_run("\t" + right)
                self._style_run(run, FANGSONG, SIZE_4)
        for cell in table.columns[0].cells:
            cell.width = Mm(TEXT_WIDTH_MM)

    def body(self, text: str) -> None:
        """Plain text as the body: one paragraph per non-empty line, lines that begin with
        一、 as first-level and with （一） as second-level headings."""
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            if _H1.match(line):
                self.heading1(line)
            elif _H2.match(line):
                self.heading2(line)
            else:
                self.paragraph(line)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self._doc.save(out)
        return out.getvalue()
