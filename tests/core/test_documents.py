"""The GB/T 9704-2012 .docx builder: the bytes it writes, opened again with python-docx."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from wulian.core import documents
from wulian.core.documents import OfficialDocument

TITLE = "关于交办市十五届人大二次会议代表建议的通知"


def build(**overrides) -> OfficialDocument:
    kwargs = {
        "issuer": "黄石市人大常委会办公室",
        "number": "黄人常办〔2023〕12号",
        "title": TITLE,
        "recipients": "市人民政府办公室",
    }
    kwargs.update(overrides)
    doc = OfficialDocument(**kwargs)
    doc.paragraph("现将市十五届人大二次会议代表建议交由你单位办理，请认真研究，按期答复。")
    doc.heading1("一、办理要求")
    doc.heading2("（一）按期答复")
    doc.paragraph("自交办之日起三个月内答复代表。")
    doc.table(["建议编号", "建议标题", "件数"], [["第12号", "关于加强工业园区配套建设的建议", 3]])
    doc.attachments(["代表建议清单。", "办理工作要求"])
    doc.signature(org="黄石市人大常委会办公室", date=date(2023, 12, 5))
    doc.record(printer="黄石市人大常委会办公室", date=date(2023, 12, 6), copies_to="市纪委监委")
    return doc


@pytest.fixture(scope="module")
def data() -> bytes:
    return build().to_bytes()


@pytest.fixture(scope="module")
def opened(data):
    return docx.Document(io.BytesIO(data))


def paragraph(opened, text: str):
    return next(p for p in opened.paragraphs if p.text == text)


def east_asia(run) -> str | None:
    fonts = run._r.rPr.find(qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def fonts_of(run) -> dict[str, str | None]:
    f = run._r.rPr.find(qn("w:rFonts"))
    return {a: f.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia")}


def test_page_and_margins(opened):
    s = opened.sections[0]
    assert round(s.page_width.mm) == 210 and round(s.page_height.mm) == 297
    assert round(s.top_margin.mm) == 37 and round(s.bottom_margin.mm) == 35
    assert round(s.left_margin.mm) == 28 and round(s.right_margin.mm) == 26
    text_width = s.page_width.mm - s.left_margin.mm - s.right_margin.mm
    text_height = s.page_height.mm - s.top_margin.mm - s.bottom_margin.mm
    assert abs(text_width - 156) < 0.1 and abs(text_height - 225) < 0.1


def test_grid_of_22_lines_by_28_characters(opened):
    grid = opened.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    pitch = int(grid.get(qn("w:linePitch")))
    assert pitch == 579 and 22 * pitch <= 225 / 25.4 * 72 * 20 < 23 * pitch
    assert int(grid.get(qn("w:charSpace"))) == -848
    # 28 characters of 16 pt plus the char space fill 156 mm.
    pitch_pt = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    assert abs(28 * pitch_pt - 156 / 25.4 * 72) < 0.5
    normal = opened.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.paragraph_format.line_spacing == Pt(28.95)


def test_default_fonts_are_fangsong_everywhere(opened):
    defaults = opened.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would override it
    normal_fonts = opened.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal_fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal_fonts.get(qn("w:ascii")) == "仿宋_GB2312"


def test_red_issuer_mark(opened):
    mark = paragraph(opened, "黄石市人大常委会办公室")
    run = mark.runs[0]
    assert mark.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert str(run.font.color.rgb) == "FF0000"
    assert fonts_of(run) == {a: "方正小标宋简体" for a in ("ascii", "hAnsi", "eastAsia")}
    # As wide as the 版心 allows (11 characters → 36 pt), 35 mm below its top.
    assert run.font.size == Pt(36)
    assert abs(mark.paragraph_format.space_before.mm - 35) < 0.2


def test_number_and_red_separator(opened):
    number = paragraph(opened, "黄人常办〔2023〕12号")
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert east_asia(number.runs[0]) == "仿宋_GB2312"
    assert number.runs[0].font.size == Pt(16)
    line = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert line.get(qn("w:color")) == "FF0000" and line.get(qn("w:val")) == "single"
    # Two empty lines between the mark and the number; the number has no indent (full width).
    texts = [p.text for p in opened.paragraphs]
    i = texts.index("黄人常办〔2023〕12号")
    assert texts[i - 3 : i] == ["黄石市人大常委会办公室", "", ""]
    assert number.paragraph_format.left_indent is None


def test_title_and_recipients(opened):
    texts = [p.text for p in opened.paragraphs]
    title = paragraph(opened, TITLE)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size == Pt(22)
    assert east_asia(title.runs[0]) == "方正小标宋简体"
    i = texts.index(TITLE)
    assert texts[i - 2 : i] == ["", ""]
    assert texts[i + 1 : i + 3] == ["", "市人民政府办公室："]
    assert paragraph(opened, "市人民政府办公室：").alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_body_and_headings(opened):
    body = paragraph(opened, "自交办之日起三个月内答复代表。")
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert (east_asia(body.runs[0]), body.runs[0].font.size) == ("仿宋_GB2312", Pt(16))
    h1 = paragraph(opened, "一、办理要求")
    assert (east_asia(h1.runs[0]), h1.runs[0].font.size) == ("黑体", Pt(16))
    h2 = paragraph(opened, "（一）按期答复")
    assert (east_asia(h2.runs[0]), h2.runs[0].font.size) == ("楷体_GB2312", Pt(16))


def test_table(opened):
    table = opened.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["建议编号", "建议标题", "件数"]
    assert [c.text for c in table.rows[1].cells] == [
        "第12号",
        "关于加强工业园区配套建设的建议",
        "3",
    ]
    header_run = table.rows[0].cells[0].paragraphs[0].runs[0]
    body_run = table.rows[1].cells[1].paragraphs[0].runs[0]
    assert (east_asia(header_run), header_run.font.size) == ("黑体", Pt(14))
    assert (east_asia(body_run), body_run.font.size) == ("仿宋_GB2312", Pt(14))
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_attachments(opened):
    texts = [p.text for p in opened.paragraphs]
    i = texts.index("附件：1.代表建议清单")
    assert texts[i - 1] == "" and texts[i + 1] == "2.办理工作要求"
    first, second = paragraph(opened, texts[i]), paragraph(opened, texts[i + 1])
    assert first.paragraph_format.first_line_indent == Pt(32)
    assert second.paragraph_format.left_indent == Pt(80)  # under the first name


def test_single_attachment_has_no_number():
    doc = OfficialDocument(issuer="黄石市纪委监委", title="通知")
    doc.attachments(["评查报告"])
    texts = [p.text for p in docx.Document(io.BytesIO(doc.to_bytes())).paragraphs]
    assert "附件：评查报告" in texts


def test_signature_with_seal(opened):
    texts = [p.text for p in opened.paragraphs]
    i = texts.index("2023年12月5日")
    assert texts[i - 1] == "黄石市人大常委会办公室"
    assert texts[i - 3 : i - 1] == ["", ""]  # room for the seal
    org, when = opened.paragraphs[i - 1], opened.paragraphs[i]
    assert org.alignment == when.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # The date four characters from the right; the name (11 characters) centred over the date
    # (3 + 7 × ½ = 6.5 characters): 4 + (6.5 − 11) / 2 = 1.75 characters from the right.
    assert when.paragraph_format.right_indent == Pt(64)
    assert org.paragraph_format.right_indent == Pt(28)


def test_signature_without_seal():
    doc = OfficialDocument(issuer="市人大常委会办公室", title="通知")
    doc.signature(org="市人大常委会办公室", date=date(2023, 3, 1), sealed=False)
    opened = docx.Document(io.BytesIO(doc.to_bytes()))
    texts = [p.text for p in opened.paragraphs]
    i = texts.index("2023年3月1日")
    org, when = opened.paragraphs[i - 1], opened.paragraphs[i]
    assert org.text == "市人大常委会办公室"
    assert org.paragraph_format.right_indent == Pt(32)
    # The date starts two characters right of the name: 2 + 9 − 2 − 6 = 3 characters.
    assert when.paragraph_format.right_indent == Pt(48)


def test_record_between_thick_and_thin_rules_at_the_foot(opened):
    table = opened.tables[-1]
    assert [r.cells[0].text for r in table.rows] == [
        "抄送：市纪委监委。",
        "黄石市人大常委会办公室\t2023年12月6日印发",
    ]
    tbl_pr = table._tbl.tblPr
    position = tbl_pr.find(qn("w:tblpPr"))
    assert position.get(qn("w:tblpYSpec")) == "bottom"
    assert position.get(qn("w:vertAnchor")) == "margin"
    borders = tbl_pr.find(qn("w:tblBorders"))
    assert borders.find(qn("w:top")).get(qn("w:sz")) == "8"
    assert borders.find(qn("w:bottom")).get(qn("w:sz")) == "8"
    assert borders.find(qn("w:insideH")).get(qn("w:sz")) == "6"
    run = table.rows[1].cells[0].paragraphs[0].runs[0]
    assert (east_asia(run), run.font.size) == ("仿宋_GB2312", Pt(14))


def test_page_numbers_odd_right_even_left(opened, data):
    assert opened.settings.odd_and_even_pages_header_footer
    section = opened.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert odd.paragraph_format.right_indent == Pt(14)
    assert even.paragraph_format.left_indent == Pt(14)
    for p in (odd, even):
        assert p.text == "— 1 —"
        assert {r.font.size for r in p.runs} == {Pt(14)}
        assert {east_asia(r) for r in p.runs} == {"宋体"}
        instructions = [el.text.strip() for el in p._p.iter(qn("w:instrText"))]
        assert instructions == ["PAGE"]
        kinds = [el.get(qn("w:fldCharType")) for el in p._p.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]


def test_chinese_text_intact(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    for text in (TITLE, "黄人常办〔2023〕12号", "（一）按期答复", "2023年12月5日"):
        assert text in xml


def test_elements_in_schema_order(data):
    """Word refuses a file whose pPr/tblPr children are out of the schema's order."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = docx.oxml.parse_xml(z.read("word/document.xml"))
    for tag, order in (("w:pPr", documents._PPR_ORDER), ("w:tblPr", documents._TBLPR_ORDER)):
        for el in root.iter(qn(tag)):
            names = [child.tag.split("}")[1] for child in el]
            positions = [order.index(n) for n in names]
            assert positions == sorted(positions), names


def test_secrecy_and_urgency_above_the_mark():
    doc = OfficialDocument(
        issuer="黄石市纪委监委",
        title="关于移送问题线索的函",
        copy_number="000001",
        secrecy="秘密★1年",
        urgency="特急",
    )
    opened = docx.Document(io.BytesIO(doc.to_bytes()))
    texts = [p.text for p in opened.paragraphs]
    assert texts[:4] == ["000001", "秘密★1年", "特急", "黄石市纪委监委"]
    secrecy = opened.paragraphs[1]
    assert east_asia(secrecy.runs[0]) == "黑体" and secrecy.alignment == WD_ALIGN_PARAGRAPH.LEFT
    mark = opened.paragraphs[3]
    # Three lines above: the 35 mm is counted from the top of the 版心.
    assert abs(mark.paragraph_format.space_before.pt - (35 / 25.4 * 72 - 3 * 28.95)) < 1


def test_long_issuer_mark_shrinks_to_fit_and_custom_mark():
    doc = OfficialDocument(
        issuer="黄石市人大常委会办公室　中共黄石市纪律检查委员会办公室", title="通知"
    )
    run = docx.Document(io.BytesIO(doc.to_bytes())).paragraphs[0].runs[0]
    assert run.font.size.pt * 27 <= 156 / 25.4 * 72
    doc = OfficialDocument(issuer="黄石市人大常委会", mark="黄石市人大常委会文件", title="通知")
    assert docx.Document(io.BytesIO(doc.to_bytes())).paragraphs[0].text == "黄石市人大常委会文件"


def test_title_line_breaks_and_recipient_colon():
    doc = OfficialDocument(
        issuer="黄石市人大常委会办公室",
        title="关于开展涉企案件质量评查\n工作情况的报告",
        recipients="市人大常委会：",
    )
    opened = docx.Document(io.BytesIO(doc.to_bytes()))
    title = next(p for p in opened.paragraphs if p.text.startswith("关于"))
    assert title.text == "关于开展涉企案件质量评查\n工作情况的报告"
    assert "市人大常委会：" in [p.text for p in opened.paragraphs]
    assert opened.core_properties.title == "关于开展涉企案件质量评查工作情况的报告"


def test_chinese_date():
    assert documents.chinese_date(date(2023, 12, 5)) == "2023年12月5日"
    assert documents.chinese_date(date(2024, 1, 9)) == "2024年1月9日"
