"""Small, real files of each kind, built in memory (no fixture files)."""

from __future__ import annotations

import io
import struct
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32 + b"\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"

MAIN_TYPES = {
    "docx": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "xlsx": (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
    "docm": ("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
}


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip member with a fixed time: two calls build the same bytes (`writestr` with a bare
    name stamps the current time, which differs across a two-second boundary)."""
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def ooxml(kind: str = "docx") -> bytes:
    part, ctype = MAIN_TYPES[kind]
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{ctype}"/>'
        "</Types>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(_entry("[Content_Types].xml"), content_types)
        zf.writestr(_entry("_rels/.rels"), "<Relationships/>")
        zf.writestr(_entry(part), "<document>关于民生实事的调研报告</document>")
    return buf.getvalue()


def ofd() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            _entry("OFD.xml"),
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">'
            "<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        zf.writestr(_entry("Doc_0/Document.xml"), "<ofd:Document/>")
    return buf.getvalue()


def plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    return buf.getvalue()


def zip_bomb_members(count: int) -> bytes:
    """A DOCX-looking container with far too many parts."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(count):
            zf.writestr(f"word/media/p{i}.xml", "")
    return buf.getvalue()


def zip_bomb_size(uncompressed: int) -> bytes:
    """A DOCX-looking container whose one part inflates to `uncompressed` bytes of zeros."""
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf,
        zf.open("word/document.xml", "w", force_zip64=True) as member,
    ):
        chunk = b"\0" * (1024 * 1024)
        left = uncompressed
        while left > 0:
            member.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)
    return buf.getvalue()


def zip_declaring(uncompressed: int) -> bytes:
    """A small DOCX-looking container whose central directory declares one part of
    `uncompressed` bytes (what a bomb declares, without spending the time to build one)."""
    data = bytearray(zip_bomb_size(1024 * 1024))
    central = data.rindex(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, uncompressed)
    struct.pack_into("<I", data, 22, uncompressed)  # the local header says the same
    return bytes(data)


def cfb(*streams: str) -> bytes:
    """A minimal OLE2 compound file (512-byte sectors) whose root holds these stream names:
    header, one FAT sector (#0), one directory sector (#1)."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHH", header, 24, 0x3E, 3, 0xFFFE, 9)  # minor, major, byte order, shift
    struct.pack_into("<H", header, 32, 6)  # mini sector shift
    struct.pack_into("<I", header, 44, 1)  # number of FAT sectors
    struct.pack_into("<I", header, 48, 1)  # first directory sector
    struct.pack_into("<I", header, 56, 4096)  # mini stream cutoff
    struct.pack_into("<I", header, 60, 0xFFFFFFFE)  # first mini FAT sector: none
    struct.pack_into("<I", header, 68, 0xFFFFFFFE)  # first DIFAT sector: none
    struct.pack_into("<109I", header, 76, 0, *([0xFFFFFFFF] * 108))  # FAT in sector 0
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<II", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE)  # 0: FAT sector, 1: end of chain

    def entry(name: str, kind: int, left: int, right: int, child: int) -> bytes:
        raw = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\0\0"
        raw[: len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, left, right, child)
        struct.pack_into("<II", raw, 116, 0xFFFFFFFE, 0)  # start sector, size
        return bytes(raw)

    names = list(streams)
    entries = [entry("Root Entry", 5, 0xFFFFFFFF, 0xFFFFFFFF, 1 if names else 0xFFFFFFFF)]
    for i, name in enumerate(names, start=1):
        right = i + 1 if i < len(names) else 0xFFFFFFFF
        entries.append(entry(name, 2, 0xFFFFFFFF, right, 0xFFFFFFFF))
    directory = b"".join(entries).ljust(512, b"\0")
    return bytes(header) + bytes(fat) + directory[:512]


def doc() -> bytes:
    return cfb("\x01CompObj", "WordDocument", "1Table")


def xls() -> bytes:
    return cfb("Workbook", "\x05SummaryInformation")


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
