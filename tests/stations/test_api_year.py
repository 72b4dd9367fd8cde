"""A year that is not a four-digit year is refused with a message, not a server error
(schemathesis found `?year=0.0` answered 500 on the events list)."""

import pytest

from tests.personas import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/stations/events/", "/api/v1/stations/opinions/"])
@pytest.mark.parametrize("year", ["0.0", "0", "-3", "99999"])
def test_a_bad_year_is_not_a_server_error(personas, path, year):
    response = client_for(personas.congress_clerk).get(path, {"year": year})
    assert response.status_code in (200, 400), response.content[:200]
