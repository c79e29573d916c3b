"""The address a request comes from, trusting X-Forwarded-For only from the configured proxies.

Behind the intranet's reverse proxy every request's REMOTE_ADDR is the proxy; the client is the last
address of X-Forwarded-For that is not itself a trusted proxy. A request that does not come from a
trusted proxy is taken at its REMOTE_ADDR whatever it claims, so the header cannot be forged from
outside. Used by the login lockout (django-axes: username + address).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in settings.TRUSTED_PROXIES)


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if not _trusted(remote):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for address in reversed(forwarded):
        if not _trusted(address):
            return address
    return remote
