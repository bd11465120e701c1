"""Server-side request forgery guard: a page announced by a *public* source may not send the crawler to a
private, loopback or link-local address, neither by an address literal (checked in the spider) nor by a host
name that resolves to one (checked here, redirects included: a redirect is a new request through this
middleware).  Sources you configure yourself, on loopback or a private network, keep working: their requests
carry ``private_ok``.

Known limit: the name is resolved here and again by the downloader, so a DNS server that answers differently
the second time (DNS rebinding) is not stopped.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

log = logging.getLogger(__name__)


def is_private_ip(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_unspecified \
        or ip.is_multicast


def resolve(host: str) -> list[str]:
    try:
        return [info[4][0] for info in socket.getaddrinfo(host, None)]
    except (socket.gaierror, UnicodeError, OSError):
        return []        # unresolvable: the download itself will fail and be counted as network_error


class SsrfGuardMiddleware:
    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    async def process_request(self, request, spider=None):
        if request.meta.get("private_ok", True):
            return None
        host = urlsplit(request.url).hostname or ""
        addresses = await asyncio.to_thread(resolve, host)
        if any(is_private_ip(a) for a in addresses):
            log.warning("not following %s: %s resolves to a private address", request.url, host)
            raise IgnoreRequest(f"unsafe_url: {host} resolves to a private address")
        return None
