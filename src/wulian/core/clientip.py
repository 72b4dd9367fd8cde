"""The client's address, as the audit chain records it and the login throttle counts it.

Behind a load balancer every request arrives from the balancer's address; the client's own is
in `X-Forwarded-For`, which anyone can also send. So the header is believed only as far as the
hops are the site's own proxies (`WULIAN_TRUSTED_PROXIES`, addresses or networks): reading it
from the right, each trusted hop passes on to the one before it, and the first address that
is not a trusted proxy is the client. Without trusted proxies the header is ignored.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def parse_networks(values: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"WULIAN_TRUSTED_PROXIES: {value!r} is not an address or a network "
                "(e.g. 10.0.0.5 or 10.0.0.0/24)."
            ) from exc
    return tuple(networks)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = parse_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not networks or not _trusted(remote, networks):
        return remote
    client = remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed([h.strip() for h in hops if h.strip()]):
        try:
            client = str(ipaddress.ip_address(hop))
        except ValueError:
            break  # a hop we cannot read: the last proxy that passed it is as far as we know
        if not _trusted(client, networks):
            break
    return client


def check_trusted_proxies(app_configs: object = None, **kwargs: object) -> list:
    """A system check: the setting must read, and a site behind a proxy should name it."""
    from django.core import checks

    try:
        networks = parse_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="wulian.E001")]
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not networks:
        return [
            checks.Warning(
                "WULIAN_BEHIND_PROXY is set but WULIAN_TRUSTED_PROXIES is empty: every client "
                "appears as the proxy's address in the audit trail, and one login throttle "
                "holds back everyone together.",
                hint="Set WULIAN_TRUSTED_PROXIES to the proxies' addresses or networks.",
                id="wulian.W001",
            )
        ]
    return []
