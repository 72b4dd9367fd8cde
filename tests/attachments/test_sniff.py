"""Content sniffing: the bytes decide the type; the extension must agree."""

from __future__ import annotations

import io

import pytest

from tests.attachments import files
from wulian.core.attachments import sniff


def _sniff(name: str, content: bytes) -> sniff.Sniffed:
    return sniff.sniff(io.BytesIO(content), name=name)


@pytest.mark.parametrize(
    ("name", "content", "media_type"),
    [
        ("报告.pdf", files.PDF, "application/pdf"),
        ("现场.png", files.PNG, "image/png"),
        ("现场.jpg", files.JPEG, "image/jpeg"),
        ("现场.JPEG", files.JPEG, "image/jpeg"),
        ("动图.gif", files.GIF, "image/gif"),
        (
            "纪要.docx",
            files.ooxml("docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "台账.xlsx",
            files.ooxml("xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "汇报.pptx",
            files.ooxml("pptx"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("旧纪要.doc", files.doc(), "application/msword"),
        ("旧台账.xls", files.xls(), "application/vnd.ms-excel"),
        ("通知.ofd", files.ofd(), "application/ofd"),
        ("说明.txt", "第一行\n第二行\n".encode(), "text/plain; charset=utf-8"),
        ("名单.csv", "姓名,单位\n张三,市民政局\n".encode("gb18030"), "text/csv; charset=gb18030"),
        ("带BOM.csv", b"\xef\xbb\xbf" + "姓名,单位\n".encode(), "text/csv; charset=utf-8"),
    ],
)
def test_allowed_kinds_are_recognised(name, content, media_type):
    assert _sniff(name, content).media_type == media_type


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("报告.docx", files.PDF, "内容是PDF 文档"),
        ("报告.pdf", files.ooxml("docx"), "内容是Word 文档"),
        ("台账.docx", files.ooxml("xlsx"), "内容是Excel 表格"),
        ("旧台账.doc", files.xls(), "内容是Excel 97-2003 表格"),
        ("旧纪要.xls", files.doc(), "内容是Word 97-2003 文档"),
        ("图片.png", files.JPEG, "内容是JPEG 图片"),
        ("说明.txt", files.PNG, "内容是PNG 图片"),
        ("材料.docx", files.plain_zip(), "内容是ZIP 压缩包"),
        ("报告.pdf", "这其实是一段文字".encode(), "内容是文本文件"),
        ("通知.ofd", files.ooxml("docx"), "内容是Word 文档"),
    ],
)
def test_an_extension_that_disagrees_with_the_content_is_refused(name, content, says):
    with pytest.raises(sniff.Refused) as exc:
        _sniff(name, content)
    assert says in exc.value.message
    assert name in exc.value.message


def test_the_message_suggests_the_right_extension():
    with pytest.raises(sniff.Refused) as exc:
        _sniff("报告.docx", files.PDF)
    assert "请把扩展名改为 .pdf" in exc.value.message


@pytest.mark.parametrize("name", ["病毒.exe", "网页.html", "脚本.svg", "无扩展名", "压缩.zip"])
def test_types_outside_the_list_are_refused(name):
    with pytest.raises(sniff.Refused) as exc:
        _sniff(name, b"MZ\x90\x00")
    assert "不支持" in exc.value.message
    assert "可上传的类型" in exc.value.message


def test_double_extension_counts_by_the_last():
    with pytest.raises(sniff.Refused):
        _sniff("报告.pdf.exe", files.PDF)


def test_macro_enabled_office_files_are_refused():
    with pytest.raises(sniff.Refused) as exc:
        _sniff("纪要.docx", files.ooxml("docm"))
    assert "含宏" in exc.value.message


def test_encrypted_office_files_are_refused_with_a_hint():
    with pytest.raises(sniff.Refused) as exc:
        _sniff("纪要.docx", files.cfb("EncryptedInfo", "EncryptedPackage"))
    assert "取消密码保护" in exc.value.message


def test_an_old_powerpoint_is_recognised_but_not_accepted():
    with pytest.raises(sniff.Refused) as exc:
        _sniff("汇报.doc", files.cfb("PowerPoint Document"))
    assert "不在允许上传的类型之列" in exc.value.message


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01\x02binary\xff\xfe",
        "UTF-16 文本".encode("utf-16"),
        b"PK\x03\x04 not really a zip",
        files.cfb()[:600],  # a compound file with a broken directory
    ],
)
def test_unrecognisable_content_is_refused(content):
    with pytest.raises(sniff.Refused) as exc:
        _sniff("材料.txt", content)
    assert "无法识别" in exc.value.message or "内容是" in exc.value.message


def test_a_docx_without_its_main_part_is_not_a_docx():
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
    with pytest.raises(sniff.Refused):
        _sniff("纪要.docx", buf.getvalue())


def test_an_xml_bomb_in_the_manifest_is_not_parsed():
    import zipfile

    bomb = (
        '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Types>&b;</Types>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", bomb)
    with pytest.raises(sniff.Refused) as exc:
        _sniff("纪要.docx", buf.getvalue())
    assert "无法识别" in exc.value.message


def test_a_zip_with_too_many_parts_is_refused(settings):
    settings.ATTACHMENT_ZIP_MAX_MEMBERS = 50
    with pytest.raises(sniff.Refused) as exc:
        _sniff("纪要.docx", files.zip_bomb_members(51))
    assert "解压后过大或包含的部件过多" in exc.value.message


def test_a_zip_that_inflates_too_far_is_refused(settings):
    settings.ATTACHMENT_ZIP_MAX_UNCOMPRESSED_BYTES = 8 * 1024 * 1024
    bomb = files.zip_bomb_size(9 * 1024 * 1024)
    assert len(bomb) < 64 * 1024  # a few kilobytes on the wire
    with pytest.raises(sniff.Refused) as exc:
        _sniff("纪要.docx", bomb)
    assert "解压后过大" in exc.value.message


def test_the_default_zip_bounds_hold_against_a_classic_bomb():
    bomb = files.zip_declaring(4_000_000_000)  # 4 GB declared, a few kilobytes sent
    assert len(bomb) < 64 * 1024
    with pytest.raises(sniff.Refused) as exc:
        _sniff("纪要.docx", bomb)
    assert "解压后过大" in exc.value.message


@pytest.mark.parametrize(
    ("data", "charset"),
    [
        ("中文".encode(), "utf-8"),
        ("中文".encode("gb18030"), "gb18030"),
        (b"tab\tand\r\nnewlines\x0c", "utf-8"),
        (b"nul\x00inside", ""),
        (b"\x1b[31mescape", ""),
        (b"\xff\xfe\xfd", ""),
    ],
)
def test_text_charset(data, charset):
    assert sniff.text_charset(data) == charset
