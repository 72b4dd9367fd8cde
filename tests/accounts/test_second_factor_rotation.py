"""The session key changes when the second factor is passed, and the new key is the one
recorded against the user (so that ending their sessions still works)."""

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD
from wulian.accounts.models import UserSession

pytestmark = pytest.mark.django_db


def test_passing_the_second_factor_rotates_the_session_key(client, personas):
    user = personas.cdi_officer
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    before = client.session.session_key
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    response = client.post("/accounts/second-factor/", {"token": f"{code:06d}"})
    assert response.status_code == 302
    after = client.session.session_key
    assert after != before
    assert set(UserSession.objects.filter(user=user).values_list("session_id", flat=True)) == {
        after
    }
