"""What an uploaded file really is, decided from its bytes — never from its name or from the
Content-Type the browser sent (OWASP ASVS 5.0: 5.2.2 extension and content agree, 5.2.3 bounds
on compressed files).

No new dependencies: magic numbers, the standard library's `zipfile`, defusedxml (already a
dependency) for the OOXML/OFD manifests, and a minimal reader of the OLE2 compound-file
directory to tell a Word 97-2003 document from an Excel 97-2003 workbook.

`sniff(fileobj, name=...)` returns the file's kind or raises `Refused` with a Chinese message
that says what is wrong and what to do.
"""

from __future__ import annotations

import re
import struct
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from defusedxml import ElementTree as SafeET
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Bounds on a zip container (DOCX/XLSX/PPTX/OFD), checked from its central directory before
# anything is decompressed. Overridable in settings (tests lower them).
ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
# The manifest parts read from inside a container are small; a larger one is refused.
MANIFEST_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    key: str
    extensions: tuple[str, ...]  # the first is the canonical one
    media_type: str
    label: str | Promise
    allowed: bool = True
    text: bool = False


def _kinds(*kinds: FileKind) -> dict[str, FileKind]:
    return {k.key: k for k in kinds}


KINDS = _kinds(
    FileKind("pdf", ("pdf",), "application/pdf", gettext_lazy("PDF 文档")),
    FileKind(
        "docx",
        ("docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        gettext_lazy("Word 文档"),
    ),
    FileKind(
        "xlsx",
        ("xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        gettext_lazy("Excel 表格"),
    ),
    FileKind(
        "pptx",
        ("pptx",),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        gettext_lazy("PowerPoint 演示文稿"),
    ),
    FileKind("doc", ("doc",), "application/msword", gettext_lazy("Word 97-2003 文档")),
    FileKind("xls", ("xls",), "application/vnd.ms-excel", gettext_lazy("Excel 97-2003 表格")),
    FileKind("ofd", ("ofd",), "application/ofd", gettext_lazy("OFD 版式文档")),
    FileKind("png", ("png",), "image/png", gettext_lazy("PNG 图片")),
    FileKind("jpeg", ("jpg", "jpeg"), "image/jpeg", gettext_lazy("JPEG 图片")),
    FileKind("gif", ("gif",), "image/gif", gettext_lazy("GIF 图片")),
    FileKind("txt", ("txt",), "text/plain", gettext_lazy("文本文件"), text=True),
    FileKind("csv", ("csv",), "text/csv", gettext_lazy("CSV 表格"), text=True),
    # Recognised, but not accepted.
    FileKind("zip", ("zip",), "application/zip", gettext_lazy("ZIP 压缩包"), allowed=False),
    FileKind(
        "ooxml_macro",
        ("docm",),
        "application/octet-stream",
        gettext_lazy("含宏或模板的 Office 文件"),
        allowed=False,
    ),
    FileKind(
        "ppt",
        ("ppt",),
        "application/vnd.ms-powerpoint",
        gettext_lazy("PowerPoint 97-2003 演示文稿"),
        allowed=False,
    ),
    FileKind(
        "encrypted_office",
        ("docx",),
        "application/octet-stream",
        gettext_lazy("加密的 Office 文件"),
        allowed=False,
    ),
    FileKind(
        "ole_other",
        ("bin",),
        "application/octet-stream",
        gettext_lazy("其他旧版 Office 文件"),
        allowed=False,
    ),
)
EXTENSIONS: dict[str, FileKind] = {
    ext: kind for kind in KINDS.values() if kind.allowed for ext in kind.extensions
}


def accept_attribute() -> str:
    """The `accept` attribute of the upload input: the allowed extensions."""
    return ",".join(f".{ext}" for ext in EXTENSIONS)


def allowed_summary() -> str:
    return _(
        "PDF、Word（.docx/.doc）、Excel（.xlsx/.xls）、PowerPoint（.pptx）、OFD、"
        "图片（.png/.jpg/.gif）、文本（.txt/.csv）"
    )


@dataclass(frozen=True)
class Sniffed:
    kind: FileKind
    media_type: str  # with the charset for text


class Refused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def extension_of(name: str) -> str:
    base = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if "." not in base.strip("."):
        return ""
    return base.rsplit(".", 1)[-1].strip().lower()


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# --- Zip containers: OOXML (DOCX/XLSX/PPTX) and OFD -----------------------------------------

OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
}
# Macro-enabled documents and templates: a different main part type, not accepted.
OOXML_OTHER_MAIN = re.compile(
    r"^application/vnd\.(ms-(word|excel|powerpoint)\.[a-z.]*macroenabled[a-z.]*"
    r"|openxmlformats-officedocument\.[a-z]+ml\.(template|slideshow)\.main)\+xml$",
    re.IGNORECASE,
)


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MANIFEST_MAX_BYTES:
        raise ValueError("manifest too large")
    with zf.open(info) as member:
        data = member.read(MANIFEST_MAX_BYTES + 1)
    if len(data) > MANIFEST_MAX_BYTES:
        raise ValueError("manifest too large")
    return data


def _zip_kind(f: IO[bytes], name: str) -> str:
    try:
        zf = zipfile.ZipFile(f)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return ""
    with zf:
        infos = zf.infolist()
        max_members = _setting("ATTACHMENT_ZIP_MAX_MEMBERS", ZIP_MAX_MEMBERS)
        max_bytes = _setting("ATTACHMENT_ZIP_MAX_UNCOMPRESSED_BYTES", ZIP_MAX_UNCOMPRESSED_BYTES)
        total = sum(i.file_size for i in infos)
        if len(infos) > max_members or total > max_bytes:
            raise Refused(
                _(
                    "文件「%(name)s」解压后过大或包含的部件过多（上限 %(members)s 个部件、"
                    "解压后 %(mb)s MB），可能是恶意构造的压缩文件，已拒绝上传。"
                )
                % {"name": name, "members": max_members, "mb": max_bytes // (1024 * 1024)}
            )
        by_name = {i.filename: i for i in infos}
        try:
            if "[Content_Types].xml" in by_name:
                root = SafeET.fromstring(_read_member(zf, by_name["[Content_Types].xml"]))
                for el in root:
                    if _local(el.tag) != "Override":
                        continue
                    ctype = (el.get("ContentType") or "").strip()
                    part = (el.get("PartName") or "").lstrip("/")
                    if ctype in OOXML_MAIN and part in by_name:
                        return OOXML_MAIN[ctype]
                    if OOXML_OTHER_MAIN.match(ctype) and part in by_name:
                        return "ooxml_macro"
                return "zip"
            if "OFD.xml" in by_name:
                root = SafeET.fromstring(_read_member(zf, by_name["OFD.xml"]))
                return "ofd" if _local(root.tag) == "OFD" else "zip"
        except Exception:
            return ""
        return "zip"


# --- OLE2 compound files (DOC/XLS) ------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END = 0xFFFFFFFA  # sector numbers at or above this are markers (end of chain, free, …)
_NOSTREAM = 0xFFFFFFFF
_LOOP_LIMIT = 100_000


def _ole_root_names(data: bytes) -> set[str]:
    """The names of the streams and storages directly under the root of a compound file
    ([MS-CFB]): header → FAT (through the DIFAT) → directory chain → the root's child tree."""
    if len(data) < 512 or not data.startswith(_OLE_MAGIC):
        raise ValueError("not a compound file")
    shift = struct.unpack_from("<H", data, 30)[0]
    if shift not in (9, 12):
        raise ValueError("bad sector size")
    size = 1 << shift
    n_fat, dir_start = struct.unpack_from("<II", data, 44)
    difat_next, n_difat = struct.unpack_from("<II", data, 68)

    def sector(n: int) -> bytes:
        start = (n + 1) * size
        if n >= _END or start >= len(data):
            raise ValueError("sector out of range")
        block = data[start : start + size]
        return block.ljust(size, b"\0")

    fat_sectors = [s for s in struct.unpack_from("<109I", data, 76) if s < _END]
    per_sector = size // 4
    hops = 0
    while difat_next < _END and hops <= n_difat:
        block = struct.unpack(f"<{per_sector}I", sector(difat_next))
        fat_sectors += [s for s in block[:-1] if s < _END]
        difat_next = block[-1]
        hops += 1
        if hops > _LOOP_LIMIT:
            raise ValueError("DIFAT loop")
    fat: list[int] = []
    for s in fat_sectors[:n_fat]:
        fat.extend(struct.unpack(f"<{per_sector}I", sector(s)))

    entries: list[tuple[str, int, int, int, int]] = []
    seen: set[int] = set()
    current = dir_start
    while current < _END:
        if current in seen or len(seen) > _LOOP_LIMIT or current >= len(fat):
            raise ValueError("bad directory chain")
        seen.add(current)
        block = sector(current)
        for offset in range(0, size, 128):
            raw = block[offset : offset + 128]
            name_len = struct.unpack_from("<H", raw, 64)[0]
            name = raw[: max(0, min(name_len, 64) - 2)].decode("utf-16-le", "replace")
            kind = raw[66]
            left, right, child = struct.unpack_from("<III", raw, 68)
            entries.append((name, kind, left, right, child))
        current = fat[current]
    if not entries or entries[0][1] != 5:  # 5 = root storage
        raise ValueError("no root entry")

    names: set[str] = set()
    stack = [entries[0][4]]
    visited: set[int] = set()
    while stack:
        i = stack.pop()
        if i == _NOSTREAM or i >= len(entries) or i in visited:
            continue
        visited.add(i)
        name, kind, left, right, _child = entries[i]
        if kind in (1, 2):  # storage or stream
            names.add(name)
        stack += [left, right]
    return names


def _ole_kind(data: bytes) -> str:
    try:
        names = _ole_root_names(data)
    except (ValueError, struct.error, IndexError):
        return ""
    if "EncryptedPackage" in names:
        return "encrypted_office"
    if "WordDocument" in names:
        return "doc"
    if "Workbook" in names or "Book" in names:
        return "xls"
    if "PowerPoint Document" in names:
        return "ppt"
    return "ole_other"


# --- Text ---------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def text_charset(data: bytes) -> str:
    """'utf-8' or 'gb18030' for readable text, '' for anything else (binary, other
    encodings, control characters)."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    for charset in ("utf-8", "gb18030"):
        try:
            text = body.decode(charset)
        except UnicodeDecodeError:
            continue
        return "" if _CONTROL.search(text) else charset
    return ""


# --- The decision -------------------------------------------------------------------------


def _detect(f: IO[bytes], name: str) -> tuple[str, str]:
    """(kind key, charset) from the content; ('', '') when it is not recognised."""
    f.seek(0)
    head = f.read(16)
    f.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf", ""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", ""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg", ""
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif", ""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(f, name), ""
    data = f.read()
    f.seek(0)
    if head.startswith(_OLE_MAGIC):
        return _ole_kind(data), ""
    charset = text_charset(data)
    return ("txt", charset) if charset else ("", "")


def sniff(f: IO[bytes], *, name: str) -> Sniffed:
    """The file's kind from its content, checked against its extension. The caller has
    already bounded the file's size."""
    ext = extension_of(name)
    expected = EXTENSIONS.get(ext)
    if expected is None:
        shown = f".{ext}" if ext else _("无扩展名")
        raise Refused(
            _("不能上传「%(name)s」：不支持 %(ext)s 文件。可上传的类型：%(allowed)s。")
            % {"name": name, "ext": shown, "allowed": allowed_summary()}
        )
    key, charset = _detect(f, name)
    if not key:
        raise Refused(
            _(
                "无法识别文件「%(name)s」的内容：它不是有效的%(label)s，可能已损坏或扩展名有误。"
                "请用原软件重新保存后再上传。"
            )
            % {"name": name, "label": expected.label}
        )
    actual = KINDS[key]
    if actual.text and expected.text:
        media = f"{expected.media_type}; charset={charset}"
        return Sniffed(kind=expected, media_type=media)
    if actual.key == expected.key:
        return Sniffed(kind=expected, media_type=expected.media_type)
    if actual.key == "encrypted_office":
        raise Refused(
            _("文件「%(name)s」是加密的 Office 文件，无法检查其内容。请先取消密码保护再上传。")
            % {"name": name}
        )
    if actual.key == "ooxml_macro":
        raise Refused(
            _(
                "文件「%(name)s」含宏或是模板文件，不能上传。请另存为普通的 .docx、.xlsx 或 "
                ".pptx 后再上传。"
            )
            % {"name": name}
        )
    params = {
        "name": name,
        "ext": ext,
        "label": actual.label,
        "suggest": actual.extensions[0],
        "allowed": allowed_summary(),
    }
    if actual.allowed:
        raise Refused(
            _(
                "文件「%(name)s」的扩展名是 .%(ext)s，但内容是%(label)s。请确认选对了文件；"
                "如文件无误，请把扩展名改为 .%(suggest)s 后重新上传。"
            )
            % params
        )
    raise Refused(
        _(
            "文件「%(name)s」的扩展名是 .%(ext)s，但内容是%(label)s，不在允许上传的类型之列。"
            "可上传的类型：%(allowed)s。"
        )
        % params
    )
