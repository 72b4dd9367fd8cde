"""Personal data removed from text shown on the public page (the second line of defence).

What the public page never shows: the names of the lead deputy and the co-signers, any phone
number, contact record, verdict, comment, attachment or internal note. What it shows passes
through `redact(text, names=…)`, which masks, whatever the deputy or the unit typed:

- mobile and landline numbers, resident ID numbers, bank-card-like digit runs and e-mail
  addresses — in every spelling: full-width digits (１３８…), dots, dashes, spaces or
  zero-width characters between the digits (138.1234.5678, 138\u200b1234…), Chinese numerals
  (一三八…, 壹叁捌…, 幺, 〇/零) and mixtures of these;
- the names of known people (the deputy, the co-signers, the handlers), also when spaces or
  zero-width characters are put between their characters.

Matching runs on a normalised copy of the text (NFKC, zero-width and other format characters
removed, Chinese numerals read as digits) whose every character remembers where it came from;
the matches are masked in the original text, so what is not personal data is shown exactly as
it was written (full-width punctuation included).

The first line is a person's approval: the public page shows only texts congress staff
approved (`services.suggestion_publish`); the publish page pre-fills them with `redact` of the
originals and shows the approver where it masks (`spans`, `segments`)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.utils.translation import gettext as _

NUMERALS = {
    **dict.fromkeys("〇零洞", "0"),
    **dict.fromkeys("一壹幺么", "1"),
    **dict.fromkeys("二贰两", "2"),
    **dict.fromkeys("三叁", "3"),
    **dict.fromkeys("四肆", "4"),
    **dict.fromkeys("五伍", "5"),
    **dict.fromkeys("六陆", "6"),
    **dict.fromkeys("七柒", "7"),
    **dict.fromkeys("八捌", "8"),
    **dict.fromkeys("九玖", "9"),
}

# What may stand between the digits of one number: spaces, dots, dashes, slashes, brackets.
SEP = r"[\s.\-_·•/()（）]{0,3}"


def _digits(count: str) -> str:
    return rf"(?:{SEP}\d){count}"


PATTERNS = [
    # e-mail addresses
    re.compile(r"[\w.+-]+\s*@\s*[\w-]+(?:\.[\w-]+)+"),
    # 18-digit resident ID numbers (the last may be X) and 15-digit old ones
    re.compile(rf"(?<!\d)\d{_digits('{16}')}{SEP}[\dXx](?![\dXx])"),
    re.compile(rf"(?<!\d)\d{_digits('{14}')}(?!{SEP}\d)"),
    # bank-card-like runs of 16–19 digits
    re.compile(rf"(?<!\d)\d{_digits('{15,18}')}(?!{SEP}\d)"),
    # mainland mobile numbers, with or without +86
    re.compile(rf"(?<!\d)(?:\+?{SEP}86{SEP})?1{SEP}[3-9]{_digits('{9}')}(?!{SEP}\d)"),
    # landlines: area code and number (0714-1234567, (0714)6543210)
    re.compile(rf"(?<!\d)(?:\(\s*)?0{SEP}\d{_digits('{1,2}')}{_digits('{7,8}')}(?!{SEP}\d)"),
]

_DROP = {"Cf", "Cc"}


def _normalised(text: str) -> tuple[str, list[int]]:
    """The matching copy of `text` and, for each of its characters, the index it came from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch not in "\n\t" and unicodedata.category(ch) in _DROP:
            continue  # zero-width spaces and joiners, bidi controls, soft hyphens …
        for n in unicodedata.normalize("NFKC", ch):
            out.append(NUMERALS.get(n, n))
            where.append(i)
    return "".join(out), where


def _name_pattern(name: str) -> re.Pattern[str] | None:
    chars = [c for c in unicodedata.normalize("NFKC", name) if not c.isspace()]
    if len(chars) < 2:
        return None
    return re.compile(r"\s{0,2}".join(re.escape(c) for c in chars))


def spans(text: str, names: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Where `redact` masks `text`: (start, end) offsets into `text`, sorted, not overlapping."""
    text = text or ""
    if not text:
        return []
    copy, where = _normalised(text)
    found: list[tuple[int, int]] = []
    patterns = list(PATTERNS)
    patterns += [p for p in (_name_pattern(n) for n in set(names) if n) if p is not None]
    for pattern in patterns:
        for m in pattern.finditer(copy):
            if m.end() > m.start():
                found.append((where[m.start()], where[m.end() - 1] + 1))
    found.sort()
    merged: list[list[int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def segments(text: str, names: Iterable[str] = ()) -> list[tuple[str, bool]]:
    """`text` cut into (part, masked) pieces, for showing an approver what will be masked."""
    text = text or ""
    parts: list[tuple[str, bool]] = []
    last = 0
    for start, end in spans(text, names):
        if start > last:
            parts.append((text[last:start], False))
        parts.append((text[start:end], True))
        last = end
    if last < len(text):
        parts.append((text[last:], False))
    return parts


def mark() -> str:
    return _("［已隐去］")


def redact(text: str, names: Iterable[str] = ()) -> str:
    text = text or ""
    return "".join(mark() if masked else part for part, masked in segments(text, names))
