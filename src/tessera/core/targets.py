"""Where the server may send requests on a client's behalf (webhooks, link previews): public
internet addresses only, unless the operator allows private ones
(``WEBHOOK_ALLOW_PRIVATE_TARGETS``, ``URL_PREVIEW_ALLOW_PRIVATE_TARGETS``).

A subscription's target is chosen by a project admin, and a link to preview by anyone, so
without this check the server could be made to reach into its own network (cloud metadata
endpoints, databases, admin ports). A target's host is resolved once per attempt and the
connection goes to the address that was checked (the URL is pinned to it; ``Host`` and TLS
SNI keep the name), so a DNS answer that changes between the check and the connection cannot
redirect it.
"""

import ipaddress
import socket
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx

_DEFAULT_PORTS = {"http": 80, "https": 443}


class TargetRefused(Exception):
    """The target's host is (or resolves to) an address webhooks may not reach."""


def is_public(address: str) -> bool:
    """A globally routable unicast address (IPv4-mapped IPv6 judged as its IPv4)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def names_private_host(url: str) -> bool:
    """``url``'s host is visibly private without a DNS lookup: ``localhost`` or a literal
    non-public address (checked when a subscription is saved; resolution happens at
    delivery)."""
    host = (httpx.URL(url).host or "").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return not is_public(host)


@dataclass(frozen=True, slots=True)
class Pinned:
    """A request URL fixed to one checked address, with what keeps the original name."""

    url: httpx.URL
    headers: dict[str, str] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)


def unpinned(url: str) -> Pinned:
    """The target as it is (private targets allowed: no resolution needed)."""
    return Pinned(httpx.URL(url))


async def pin_public(url: str) -> Pinned:
    target = httpx.URL(url)
    infos = await anyio.getaddrinfo(target.host, _port(target), type=socket.SOCK_STREAM)
    return pin(target, [str(info[4][0]) for info in infos])


def pin_public_sync(url: str) -> Pinned:
    target = httpx.URL(url)
    infos = socket.getaddrinfo(target.host, _port(target), type=socket.SOCK_STREAM)
    return pin(target, [str(info[4][0]) for info in infos])


def _port(target: httpx.URL) -> int:
    return target.port or _DEFAULT_PORTS.get(target.scheme, 80)


def pin(target: httpx.URL, addresses: list[str]) -> Pinned:
    """``target`` fixed to the first of the addresses its host resolved to, all of which
    must be public."""
    refused = [address for address in addresses if not is_public(address)]
    if refused or not addresses:
        shown = refused[0] if refused else "no address"
        raise TargetRefused(f"target host {target.host} is not a public address ({shown})")
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    return Pinned(
        target.copy_with(host=addresses[0]),
        {"Host": target.netloc.decode("ascii")},
        extensions,
    )
