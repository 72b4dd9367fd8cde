"""Where and when a photo was taken, read from the file itself (EXIF): DateTimeOriginal and the
GPS position. Pillow is used when it is installed; it is not a dependency of the platform
(ADR 0002), so a small reader of JPEG's EXIF block (APP1 → TIFF → IFD0 → Exif / GPS IFDs) in
the standard library does the same otherwise. A file without readable metadata gives None:
the evidence is accepted and marked, never refused."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import IO
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")
TAG_EXIF_IFD, TAG_GPS_IFD, TAG_TAKEN = 0x8769, 0x8825, 0x9003
TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8}


@dataclass(frozen=True)
class PhotoFacts:
    taken_at: datetime | None
    latitude: Decimal | None
    longitude: Decimal | None

    @property
    def readable(self) -> bool:
        return self.taken_at is not None and self.latitude is not None


def _tiff_block(data: bytes) -> bytes | None:
    if data[:2] != b"\xff\xd8":
        return None
    at = 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker in (0xD9, 0xDA):  # end of image / start of scan: no EXIF before it
            return None
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        body = data[at + 4 : at + 2 + length]
        if marker == 0xE1 and body.startswith(b"Exif\x00\x00"):
            return body[6:]
        at += 2 + length
    return None


def _ifd(tiff: bytes, offset: int, order: str) -> dict[int, object]:
    out: dict[int, object] = {}
    (count,) = struct.unpack(order + "H", tiff[offset : offset + 2])
    for i in range(count):
        entry = tiff[offset + 2 + 12 * i : offset + 14 + 12 * i]
        tag, kind, n = struct.unpack(order + "HHI", entry[:8])
        size = TYPE_SIZES.get(kind, 1) * n
        raw = (
            entry[8:12]
            if size <= 4
            else tiff[(o := struct.unpack(order + "I", entry[8:12])[0]) : o + size]
        )
        if kind == 2:
            out[tag] = raw[:n].rstrip(b"\x00").decode("ascii", "replace")
        elif kind == 4:
            out[tag] = struct.unpack(order + "I", raw[:4])[0]
        elif kind == 5:
            out[tag] = [
                Decimal(a) / Decimal(b) if b else Decimal(0)
                for a, b in struct.iter_unpack(order + "II", raw[: 8 * n])
            ]
    return out


def _degrees(parts: object, ref: object, negative: str) -> Decimal | None:
    if not isinstance(parts, list) or len(parts) != 3:
        return None
    value = parts[0] + parts[1] / 60 + parts[2] / 3600
    if ref == negative:
        value = -value
    return value.quantize(Decimal("0.000001"))


def _with_stdlib(data: bytes) -> PhotoFacts:
    tiff = _tiff_block(data)
    if tiff is None or len(tiff) < 8:
        return PhotoFacts(None, None, None)
    order = "<" if tiff[:2] == b"II" else ">"
    (first,) = struct.unpack(order + "I", tiff[4:8])
    ifd0 = _ifd(tiff, first, order)
    exif = _ifd(tiff, ifd0[TAG_EXIF_IFD], order) if TAG_EXIF_IFD in ifd0 else {}
    gps = _ifd(tiff, ifd0[TAG_GPS_IFD], order) if TAG_GPS_IFD in ifd0 else {}
    return PhotoFacts(
        _when(exif.get(TAG_TAKEN)),
        _degrees(gps.get(2), gps.get(1), "S"),
        _degrees(gps.get(4), gps.get(3), "W"),
    )


def _when(text: object) -> datetime | None:
    try:
        return datetime.strptime(str(text), "%Y:%m:%d %H:%M:%S").replace(tzinfo=CHINA)
    except ValueError:
        return None


def _with_pillow(data: bytes) -> PhotoFacts | None:
    try:
        import io

        from PIL import Image  # type: ignore[import-not-found]
    except ImportError:
        return None
    try:
        exif = Image.open(io.BytesIO(data)).getexif()
    except Exception:
        return PhotoFacts(None, None, None)
    sub = exif.get_ifd(TAG_EXIF_IFD)
    gps = exif.get_ifd(TAG_GPS_IFD)

    def dec(parts: object) -> object:
        return [Decimal(str(float(x))) for x in parts] if parts else None

    return PhotoFacts(
        _when(sub.get(TAG_TAKEN)),
        _degrees(dec(gps.get(2)), gps.get(1), "S"),
        _degrees(dec(gps.get(4)), gps.get(3), "W"),
    )


def read(upload: IO[bytes]) -> PhotoFacts:
    """The photo's time and place, or Nones where the file does not say."""
    upload.seek(0)
    data = upload.read(256 * 1024)
    upload.seek(0)
    try:
        return _with_pillow(data) or _with_stdlib(data)
    except (struct.error, KeyError, IndexError, ValueError):
        return PhotoFacts(None, None, None)


# --- Writing (tests and the demo's photos) -------------------------------------------------


def _rational(value: Decimal) -> bytes:
    d, rest = divmod(abs(value), 1)
    m, rest = divmod(rest * 60, 1)
    s = rest * 60
    return struct.pack(">IIIIII", int(d), 1, int(m), 1, int(s * 100), 100)


def jpeg_with_exif(taken_at: datetime | None, lat: Decimal | None, lon: Decimal | None) -> bytes:
    """A tiny valid JPEG (1×1 grey) carrying the given EXIF time and GPS position."""
    entries_exif = []
    if taken_at is not None:
        entries_exif.append((TAG_TAKEN, 2, taken_at.strftime("%Y:%m:%d %H:%M:%S").encode() + b"\0"))
    entries_gps = []
    if lat is not None and lon is not None:
        entries_gps = [
            (1, 2, (b"N" if lat >= 0 else b"S") + b"\0"),
            (2, 5, _rational(lat)),
            (3, 2, (b"E" if lon >= 0 else b"W") + b"\0"),
            (4, 5, _rational(lon)),
        ]

    def build(entries: list[tuple[int, int, bytes]], start: int) -> bytes:
        head = struct.pack(">H", len(entries))
        data_at = start + 2 + 12 * len(entries) + 4
        blob = b""
        for tag, kind, raw in entries:
            n = len(raw) if kind == 2 else len(raw) // 8
            if len(raw) <= 4:
                head += struct.pack(">HHI", tag, kind, n) + raw.ljust(4, b"\0")
            else:
                head += struct.pack(">HHII", tag, kind, n, data_at + len(blob))
                blob += raw
        return head + b"\0\0\0\0" + blob

    ifd0_entries = 2
    ifd0_size = 2 + 12 * ifd0_entries + 4
    exif_at = 8 + ifd0_size
    exif_block = build(entries_exif, exif_at)
    gps_at = exif_at + len(exif_block)
    gps_block = build(entries_gps, gps_at)
    ifd0 = (
        struct.pack(">H", ifd0_entries)
        + struct.pack(">HHII", TAG_EXIF_IFD, 4, 1, exif_at)
        + struct.pack(">HHII", TAG_GPS_IFD, 4, 1, gps_at)
        + b"\0\0\0\0"
    )
    tiff = b"MM\x00\x2a" + struct.pack(">I", 8) + ifd0 + exif_block + gps_block
    app1 = b"Exif\x00\x00" + tiff
    return (
        b"\xff\xd8"
        + b"\xff\xe1"
        + struct.pack(">H", len(app1) + 2)
        + app1
        + bytes.fromhex(TINY_JPEG_BODY)
    )


# A 1×1 baseline JPEG after its SOI marker (quantisation and Huffman tables, one grey pixel).
TINY_JPEG_BODY = (
    "ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d1a1c1c20242e2720"
    "222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f0000"
    "010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000"
    "017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718"
    "191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a7374757677"
    "78797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7"
    "c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00d2cf20ffd9"
)
