"""Password rules: the 等保 level 3 profile (mlps3: 10 characters, 3 classes, change every 90
days) and the ASVS profile (12 characters, no composition rule, no rotation), chosen by
settings.PASSWORD_PROFILE; forced change; refusals of the change form with field errors."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.helpers import PASSWORD_URL, VERIFY_URL, events, sign_in, totp_code
from tests.factories import PASSWORD
from wulian.accounts import services
from wulian.accounts.models import User
from wulian.accounts.passwords import ProfileValidator, active_profile, password_expires_at
from wulian.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def _codes(password: str) -> set[str]:
    try:
        ProfileValidator().validate(password)
    except ValidationError as exc:
        return {e.code for e in exc.error_list}
    return set()


# --- The two profiles -------------------------------------------------------------------------


@pytest.mark.skipif(
    bool(os.environ.get("WULIAN_PASSWORD_PROFILE")), reason="profile chosen by the environment"
)
def test_mlps3_is_the_default_profile():
    from django.conf import settings

    assert settings.PASSWORD_PROFILE == "mlps3"
    profile = active_profile()
    assert (profile.min_length, profile.min_classes, profile.max_age_days) == (10, 3, 90)


def test_mlps3_wants_ten_characters_of_three_classes(settings):
    settings.PASSWORD_PROFILE = "mlps3"
    assert _codes("Abcdef12!") == {"password_too_short"}  # 9 characters
    assert _codes("abcdefgh12") == {"password_too_simple"}  # 2 classes
    assert _codes("abcdefghijklmnopqrst") == {"password_too_simple"}  # long but 1 class
    assert _codes("Abcdefgh12") == set()  # upper, lower, digit
    assert _codes("abcdefgh1!") == set()  # lower, digit, symbol
    assert _codes("x" * 129) >= {"password_too_long"}
    assert "至少 10 个字符" in ProfileValidator().get_help_text()
    assert "每 90 天须更换一次" in ProfileValidator().get_help_text()


def test_asvs_wants_twelve_characters_and_nothing_else(settings):
    settings.PASSWORD_PROFILE = "asvs"
    assert _codes("Abcdefgh12!") == {"password_too_short"}  # 11 characters
    assert _codes("correct horse battery staple") == set()  # one class is fine
    assert _codes("abcdefghijkl") == set()
    assert _codes("长城长城长城长城长城长城") == set()  # any characters count
    assert _codes("x" * 128) == set()  # ASVS 6.2.9: at least 64 allowed
    assert "须包含" not in ProfileValidator().get_help_text()
    assert "更换" not in ProfileValidator().get_help_text()


def test_the_full_validator_chain_refuses_common_and_similar_passwords(personas, settings):
    settings.PASSWORD_PROFILE = "asvs"
    with pytest.raises(ValidationError):
        password_validation.validate_password("password1234")  # in the common list
    with pytest.raises(ValidationError):
        password_validation.validate_password("congress_clerk1", personas.congress_clerk)


def test_an_unknown_profile_stops_the_server(settings):
    settings.PASSWORD_PROFILE = "lenient"
    with pytest.raises(ImproperlyConfigured, match="WULIAN_PASSWORD_PROFILE"):
        active_profile()


# --- Periodic change (mlps3 only) ------------------------------------------------------------


def _age(user: User, days: int) -> None:
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - timedelta(days=days)
    )


def test_mlps3_forces_a_change_after_90_days(personas, client_of, settings):
    settings.PASSWORD_PROFILE = "mlps3"
    _age(personas.unit_a, 89)
    assert client_of(personas.unit_a).get("/").status_code == 200

    _age(personas.unit_a, 90)
    client = client_of(personas.unit_a)
    for path in ("/", "/people/", "/accounts/tokens/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == PASSWORD_URL, path
    page = client.get(PASSWORD_URL)
    assert page.status_code == 200
    assert "您的密码须先修改后才能继续使用。" in page.content.decode()

    response = client.post(
        PASSWORD_URL,
        {
            "old_password": PASSWORD,
            "new_password": "Renewed-Key-31x",
            "new_password2": "Renewed-Key-31x",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    user = User.objects.get(pk=personas.unit_a.pk)
    assert password_expires_at(user) > timezone.now() + timedelta(days=89)


def test_asvs_never_forces_a_periodic_change(personas, client_of, settings):
    settings.PASSWORD_PROFILE = "asvs"
    _age(personas.unit_a, 400)
    assert password_expires_at(User.objects.get(pk=personas.unit_a.pk)) is None
    assert client_of(personas.unit_a).get("/").status_code == 200


@pytest.mark.parametrize("profile", ["mlps3", "asvs"])
def test_must_change_password_forces_the_change_page(personas, client_of, settings, profile):
    settings.PASSWORD_PROFILE = profile
    User.objects.filter(pk=personas.unit_a.pk).update(must_change_password=True)
    client = client_of(personas.unit_a)
    assert client.get("/")["Location"] == PASSWORD_URL
    new = "Renewed-Key-31x-long"
    client.post(PASSWORD_URL, {"old_password": PASSWORD, "new_password": new, "new_password2": new})
    assert not User.objects.get(pk=personas.unit_a.pk).must_change_password
    assert client.get("/").status_code == 200


def test_the_second_factor_comes_before_the_password_page(personas):
    """A forced password change does not open anything to an unverified session."""
    device = TOTPDevice.objects.create(user=personas.cdi_officer, name="phone", confirmed=True)
    User.objects.filter(pk=personas.cdi_officer.pk).update(must_change_password=True)
    client, _ = sign_in("cdi_officer")
    assert client.get("/")["Location"].startswith(VERIFY_URL)
    assert client.get(PASSWORD_URL)["Location"].startswith(VERIFY_URL)
    client.post(VERIFY_URL, {"token": totp_code(device)})
    assert client.get("/")["Location"] == PASSWORD_URL


# --- Refusals of the change form -------------------------------------------------------------


def _change(client, old: str, new: str, again: str | None = None):
    return client.post(
        PASSWORD_URL,
        {"old_password": old, "new_password": new, "new_password2": again or new},
    )


def test_a_wrong_old_password_is_refused_on_its_field(personas, client_of):
    response = _change(client_of(personas.unit_a), "Not-my-password-1", "Renewed-Key-31x")
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"] == ["原密码不正确。"]
    assert User.objects.get(pk=personas.unit_a.pk).check_password(PASSWORD)
    assert not events("accounts.password.changed")


def test_the_same_password_is_refused_on_the_new_field(personas, client_of):
    response = _change(client_of(personas.unit_a), PASSWORD, PASSWORD)
    assert "新密码不能与原密码相同。" in response.context["form"].errors["new_password"]
    assert "old_password" not in response.context["form"].errors


def test_a_weak_password_is_refused_with_the_rules_it_breaks(personas, client_of, settings):
    settings.PASSWORD_PROFILE = "mlps3"
    response = _change(client_of(personas.unit_a), PASSWORD, "abcdefg")
    errors = response.context["form"].errors["new_password"]
    assert "密码至少需要 10 个字符。" in errors
    assert "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。" in errors
    assert "new_password" in response.content.decode() and "field-error" in (
        response.content.decode()
    )


def test_the_two_new_passwords_must_match(personas, client_of):
    response = _change(client_of(personas.unit_a), PASSWORD, "Renewed-Key-31x", "Renewed-Key-31y")
    assert response.context["form"].errors["new_password2"] == ["两次输入的新密码不一致。"]


def test_the_service_reports_every_problem_at_once(personas):
    with pytest.raises(ValidationFailed) as caught:
        services.password_change(user=personas.unit_a, old_password="nope", new_password="nope")
    assert set(caught.value.field_errors) == {"old_password", "new_password"}
    assert caught.value.message == "密码未修改，请按提示更正。"


def test_a_change_is_audited_and_restarts_the_clock(personas):
    User.objects.filter(pk=personas.unit_a.pk).update(
        password_changed_at=timezone.now() - timedelta(days=50)
    )
    user = User.objects.get(pk=personas.unit_a.pk)
    services.password_change(user=user, old_password=PASSWORD, new_password="Renewed-Key-31x")
    user.refresh_from_db()
    assert user.check_password("Renewed-Key-31x")
    assert timezone.now() - user.password_changed_at < timedelta(seconds=5)
    [event] = events("accounts.password.changed")
    assert event.actor_id == user.pk and event.target_id == str(user.pk)
