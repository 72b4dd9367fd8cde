"""The client's address behind the site's proxies (audit trail, login throttle)."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from tests.accounts.helpers import events, sign_in
from wulian.core import clientip
from wulian.core.clientip import check_trusted_proxies, client_ip

NOW = "2026-03-02 09:00:00 +0800"


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.7", "10.9.9.9")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        # one proxy: the address it saw
        ("10.0.0.5", "198.51.100.20", "198.51.100.20"),
        # a client that forges the header: the proxy appends what it saw, that one counts
        ("10.0.0.5", "1.2.3.4, 198.51.100.20", "198.51.100.20"),
        # two proxies of the site in a row
        ("10.0.0.5", "198.51.100.20, 10.0.0.6", "198.51.100.20"),
        # IPv6 behind the proxy
        ("10.0.0.5", "2001:db8::1", "2001:db8::1"),
        # no header: the proxy itself
        ("10.0.0.5", None, "10.0.0.5"),
        # a hop that is not an address: as far as the proxies vouch
        ("10.0.0.5", "198.51.100.20, garbage", "10.0.0.5"),
        # a request that did not come through a trusted proxy: its header means nothing
        ("198.51.100.99", "10.0.0.1", "198.51.100.99"),
    ],
)
def test_the_header_is_read_only_through_trusted_hops(settings, remote, forwarded, client):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_ip(_request(remote, forwarded)) == client


def test_a_setting_that_does_not_read_is_a_startup_error(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/33"]
    with pytest.raises(ImproperlyConfigured, match=r"10\.0\.0\.0/33"):
        client_ip(_request("10.0.0.5"))
    [error] = check_trusted_proxies()
    assert error.id == "wulian.E001"


def test_behind_a_proxy_without_trusted_proxies_the_check_warns(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = []
    [warning] = check_trusted_proxies()
    assert warning.id == "wulian.W001"
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    assert check_trusted_proxies() == []
    clientip.parse_networks.cache_clear()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_behind_the_proxy_each_client_has_its_own_login_throttle(personas, settings):
    """Every request reaches the web process from the balancer; a guesser at one address must
    not lock out the office at another, and the audit trail names the client, not the proxy."""
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    settings.LOGIN_THROTTLE_FAILURES = 3
    via_proxy = {"REMOTE_ADDR": "10.0.0.5"}
    for name in ("a-guess", "b-guess", "c-guess"):
        sign_in(name, "Wrong-password-1", HTTP_X_FORWARDED_FOR="198.51.100.66", **via_proxy)
    guesser = sign_in("unit_a", HTTP_X_FORWARDED_FOR="198.51.100.66", **via_proxy)[1]
    assert guesser.status_code == 429
    office = sign_in("unit_a", HTTP_X_FORWARDED_FOR="198.51.100.20", **via_proxy)[1]
    assert office.status_code == 302
    [throttled] = events("accounts.login.throttled")
    assert '"198.51.100.66"' in throttled.body
