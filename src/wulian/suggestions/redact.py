"""Personal data removed from text shown on the public page.

What the public page never shows: the names of the lead deputy and the co-signers, any phone
number, contact record, verdict, comment, attachment or internal note. What it shows — the
suggestion's title and content and the reply's public text — passes through `redact()`, which
replaces mobile and landline numbers, ID-card numbers, e-mail addresses and bank-card-like
digit runs with a mark, whatever the deputy or the unit typed."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

PATTERNS = [
    # 18-digit resident ID numbers (the last may be X) and 15-digit old ones
    re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)|(?<!\d)\d{15}(?!\d)"),
    # bank-card-like runs of 16–19 digits, spaced or not
    re.compile(r"(?<!\d)(?:\d[ -]?){15,18}\d(?!\d)"),
    # mainland mobile numbers, with or without +86 and separators
    re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"),
    # landlines: area code and number (0714-1234567, (0714)6543210)
    re.compile(r"[（(]?0\d{2,3}[)）]?[- ]?\d{7,8}(?!\d)"),
    # e-mail addresses
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
]


def redact(text: str) -> str:
    mark = _("［已隐去］")
    for pattern in PATTERNS:
        text = pattern.sub(mark, text or "")
    return text
