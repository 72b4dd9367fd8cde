"""Model fields of the core. `EncryptedTextField`: confidential text at rest (等保 8.1.4.8).

The column holds an SM4-GCM token (`wulian.core.crypto.sm4_encrypt`), never the text: the value
is encrypted when it is written and decrypted when a row is read. The associated data is
"<table>.<column>", so a token moved to another column or table does not decrypt. An empty
string is stored as an empty string.

Encryption is randomised: such a column cannot be searched, filtered or sorted on (only
`isnull` and `exact` with the empty string work). Lists should `defer()` these columns, so that
a list decrypts nothing it does not show.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from wulian.core import crypto
from wulian.core.choices import Sensitivity

_LOOKUPS = frozenset({"isnull", "exact"})


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest with SM4-GCM"

    @property
    def aad(self) -> bytes:
        return f"{self.model._meta.db_table}.{self.column}".encode()

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return crypto.sm4_decrypt(value, aad=self.aad)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.sm4_encrypt(value, aad=self.aad)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in _LOOKUPS:
            return None
        return super().get_lookup(lookup_name)


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


# --- References (issue 12) -----------------------------------------------------------------
# Most references of the platform point at a row that must outlive it (an organisation, a
# person, the user who took a step) and need no way back from that row: on_delete=PROTECT and
# no reverse accessor. Declared once here; the field is the same ForeignKey (no migration).


def protected_fk(to: Any, verbose_name: Any = None) -> models.ForeignKey:
    """A required reference: the row referred to cannot be deleted; no reverse accessor."""
    extra = {} if verbose_name is None else {"verbose_name": verbose_name}
    return models.ForeignKey(to, on_delete=models.PROTECT, related_name="+", **extra)


def optional_protected_fk(to: Any, verbose_name: Any = None) -> models.ForeignKey:
    """`protected_fk` that may be empty (null and blank): a step not taken yet, a choice."""
    extra = {} if verbose_name is None else {"verbose_name": verbose_name}
    return models.ForeignKey(
        to, null=True, blank=True, on_delete=models.PROTECT, related_name="+", **extra
    )


def sensitivity_field(default: str = Sensitivity.INTERNAL, *, editable: bool = True) -> Any:
    """The record's 密级 (`core.choices.Sensitivity`), `default` unless a step raises it;
    `editable=False` where only a service sets it. The same CharField (no migration)."""
    return models.CharField(
        _("密级"),
        max_length=16,
        choices=Sensitivity.choices,
        default=default,
        editable=editable,
    )
