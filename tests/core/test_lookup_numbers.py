"""A lookup box or filter given a character Python calls a digit but int() does not read (a
superscript ³) answers with a message, not a server error (schemathesis found the 500)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["unit=%C2%B3", "lead_unit=%C2%B3", "lead_deputy=%C2%B9%C2%B2"])
def test_a_superscript_digit_in_a_lookup_filter_is_not_a_server_error(personas, client_of, query):
    answer = client_of(personas.congress_clerk).get("/api/v1/suggestions/?" + query)
    assert answer.status_code in (200, 400), answer.content
