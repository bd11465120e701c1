"""URL canonicalisation: one article, one URL.

Tracking parameters (utm_*, fbclid, gclid, …) and fragments are dropped, the scheme and host are lower-cased,
default ports removed.  The query order is kept (some Korean CMSs care).  ``rel=canonical`` is honoured by the
caller only when it stays on the same site (a hostile page must not claim another outlet's URL).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "igshid", "mc_cid", "mc_eid", "yclid", "_ga", "ref_src",
    "cmpid", "spm",
})
TRACKING_PREFIXES = ("utm_", "hmb_", "ga_", "pk_", "mtm_")
SAFE_SCHEMES = ("http", "https")


def is_web_url(url: str) -> bool:
    """Only http(s) URLs with a host are fetched or linked."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.hostname)


def canonicalize(url: str) -> str:
    """The canonical form of ``url`` (see module docstring)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    if parts.username:
        host = f"{parts.username}@{host}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)]
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(query, doseq=True), ""))


def site_of(url: str) -> str:
    """The host without a leading www., for same-site checks."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def same_site(a: str, b: str) -> bool:
    sa_, sb = site_of(a), site_of(b)
    if not sa_ or not sb:
        return False
    return sa_ == sb or sa_.endswith("." + sb) or sb.endswith("." + sa_)
