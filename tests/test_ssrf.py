"""SSRF guard: links from public sources that resolve to private addresses are not fetched; configured loopback
sources still work (tests/test_crawl_e2e.py crawls the sample web on 127.0.0.1 through the same settings).
The resolver is replaced here because no test can make a public name resolve to loopback otherwise."""

from __future__ import annotations

import asyncio

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from crawler.fetch import ssrf
from crawler.spiders.news import is_private_host


@pytest.mark.parametrize("address, private", [
    ("127.0.0.1", True), ("10.1.2.3", True), ("172.16.0.9", True), ("192.168.1.1", True), ("169.254.169.254", True),
    ("::1", True), ("fe80::1%eth0", True), ("0.0.0.0", True), ("203.0.113.7", True), ("8.8.8.8", False),
    ("2001:4860:4860::8888", False),
])
def test_private_address_classes(address, private):
    assert ssrf.is_private_ip(address) is private


def test_literal_and_localhost_links_are_private():
    assert is_private_host("http://127.0.0.1:8000/x") and is_private_host("http://localhost/x")
    assert is_private_host("http://[::1]/x") and not is_private_host("https://www.yna.co.kr/view/AKR1")


def run(coro):
    return asyncio.run(coro)


def test_public_source_link_resolving_to_private_address_is_refused(monkeypatch):
    monkeypatch.setattr(ssrf, "resolve", lambda host: ["10.0.0.5"] if host == "evil.example" else ["8.8.8.8"])
    guard = ssrf.SsrfGuardMiddleware()
    with pytest.raises(IgnoreRequest, match="unsafe_url"):
        run(guard.process_request(Request("http://evil.example/x", meta={"private_ok": False})))
    assert run(guard.process_request(Request("http://news.example/x", meta={"private_ok": False}))) is None


def test_configured_private_sources_and_their_links_are_allowed(monkeypatch):
    monkeypatch.setattr(ssrf, "resolve", lambda host: ["127.0.0.1"])
    guard = ssrf.SsrfGuardMiddleware()
    assert run(guard.process_request(Request("http://intranet.example/feed.xml"))) is None      # a source
    assert run(guard.process_request(Request("http://intranet.example/a", meta={"private_ok": True}))) is None
