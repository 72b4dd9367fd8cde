"""Where a webhook may connect: public addresses only, unless the site lists a network.

A webhook URL is typed by an administrator and fetched by the server, from inside the network:
without a guard the test button and every delivery could reach the server itself (loopback),
the cloud's metadata service (169.254.169.254), or any intranet host (private ranges). So:

- `refusal(ip)` says why an address is not allowed: loopback, link-local, private, shared
  (100.64/10), multicast, reserved, unspecified or otherwise not globally routable — unless it
  lies in a network of `settings.WEBHOOK_ALLOWED_NETWORKS` (env `WULIAN_WEBHOOK_ALLOWED_NETWORKS`,
  comma-separated, empty by default), e.g. the city's own robot gateway `10.20.0.0/16`.
- `check_url(url)` is the early check (form, test button): a literal address is checked; a
  name is resolved and every address it resolves to is checked; a name that does not resolve
  here is let through (the send-time check decides).
- `opener()` is the urllib opener deliveries use: its connections resolve the name once, check
  every address, then connect to the checked address itself (TLS still verifies the name), so
  that a name that answers a public address to the check and a private one to the connection
  (DNS rebinding) cannot get through. Redirects open new connections through the same guard.
  No environment proxy is used: the guard must see the address it connects to.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.parse
import urllib.request
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext as _

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class AddressRefused(OSError):
    """The webhook's host is (or resolves to) an address the site does not allow."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@lru_cache(maxsize=8)
def _networks(listed: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(n.strip(), strict=False) for n in listed if n.strip())


def allowed_networks() -> tuple[Network, ...]:
    return _networks(tuple(settings.WEBHOOK_ALLOWED_NETWORKS))


def _kind(ip: Address) -> str | None:
    if ip.is_loopback:
        return _("本机回环地址")
    if ip.is_link_local:
        return _("链路本地地址")
    if ip.is_multicast:
        return _("组播地址")
    if ip.is_unspecified:
        return _("未指定地址")
    if ip.is_private:
        return _("内网地址")
    if ip.is_reserved:
        return _("保留地址")
    if not ip.is_global:
        return _("非公网地址")
    return None


def refusal(address: str) -> str | None:
    """Why a webhook may not connect to `address` (an IP literal), or None when it may."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in net for net in allowed_networks() if net.version == ip.version):
        return None
    kind = _kind(ip)
    if kind is None:
        return None
    return _(
        "Webhook 地址指向%(kind)s（%(ip)s），不允许发送。群机器人地址须为公网地址；"
        "如确需发往内网的接收端，请由运维人员在 WULIAN_WEBHOOK_ALLOWED_NETWORKS 中列出该网段。"
    ) % {"kind": kind, "ip": ip}


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]").split("%", 1)[0]))
    except ValueError:
        return None


def resolve(host: str, port: int) -> list[tuple[int, int, int, tuple]]:
    """getaddrinfo for a stream connection, every address checked; raises AddressRefused."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    for *_rest, sockaddr in infos:
        reason = refusal(sockaddr[0])
        if reason:
            raise AddressRefused(reason)
    return [(family, kind, proto, sockaddr) for family, kind, proto, _c, sockaddr in infos]


def check_url(url: str) -> str | None:
    """The early check of a URL's host; the reason it is refused, or None."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if not host:
        return None
    literal = _literal(host)
    if literal is not None:
        return refusal(literal)
    try:
        resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
    except AddressRefused as exc:
        return exc.message
    except (OSError, UnicodeError, ValueError):
        return None  # not resolvable from here: the connection's own check decides
    return None


def connect(host: str, port: int, timeout: float | None, source_address=None) -> socket.socket:
    """A socket connected to a checked address of host (the first that answers)."""
    last: OSError | None = None
    for family, kind, proto, sockaddr in resolve(host, port):
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not None and timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:  # type: ignore[attr-defined]
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            sock.close()
            last = exc
    raise last or OSError(f"getaddrinfo returned nothing for {host!r}")


class GuardedHTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        self.sock = connect(self.host, self.port, self.timeout, self.source_address)


class GuardedHTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        sock = connect(self.host, self.port, self.timeout, self.source_address)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request):
        return self.do_open(GuardedHTTPConnection, req)


class GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request):
        return self.do_open(GuardedHTTPSConnection, req, context=self._context)


def opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), GuardedHTTPHandler(), GuardedHTTPSHandler()
    )
