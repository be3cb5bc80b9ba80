"""Which network addresses a URL given by someone else may reach: public ones only.

Loopback, private, link-local, cloud metadata, multicast, reserved, shared (carrier-grade NAT)
and unspecified addresses are refused, also when written as an IPv4-mapped, 6to4 or Teredo IPv6
address. An operator can allow chosen addresses or networks (an intranet news mirror) with
`Allowance`s such as `10.1.2.3:8080` or `10.1.0.0/16`.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Instance metadata services, which hand out cloud credentials: AWS/GCP/Azure/OpenStack, AWS ECS,
# AWS over IPv6, Alibaba Cloud. The first two are link-local anyway; named so the refusal says so.
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200"))
METADATA_HOSTS = frozenset({"metadata", "metadata.google.internal", "metadata.goog",
                            "instance-data", "instance-data.ec2.internal"})


@dataclass(frozen=True)
class Allowance:
    """An address or network the operator allows, on one port or all."""

    network: ipaddress.IPv4Network | ipaddress.IPv6Network
    port: int | None = None

    @classmethod
    def parse(cls, text: str) -> Allowance:
        """`10.1.2.3`, `10.1.0.0/16`, `10.1.2.3:8080`, `[fd00::1]:8080`."""
        text = text.strip()
        port = None
        if text.startswith("["):
            host, _, rest = text[1:].partition("]")
            port = int(rest[1:]) if rest.startswith(":") else None
        elif text.count(":") == 1:
            host, _, port_text = text.partition(":")
            port = int(port_text)
        else:
            host = text
        return cls(ipaddress.ip_network(host, strict=False), port)

    def admits(self, address: IPAddress, port: int) -> bool:
        return (address.version == self.network.version and address in self.network
                and self.port in (None, port))


def embedded_ipv4(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo client), else itself."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return address.ipv4_mapped
        if address.sixtofour:
            return address.sixtofour
        if address.teredo:
            return address.teredo[1]
    return address


def refusal(address: IPAddress) -> str | None:
    """Why a URL from outside may not reach this address, or None when it may."""
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    inner = embedded_ipv4(address)
    if inner != address:
        return refusal(inner)
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_private:
        return "a private address"
    if address.is_reserved or not address.is_global:
        return "not a public address"
    return None
