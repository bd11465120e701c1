"""robots.txt Crawl-delay: a delay larger than crawl.delay wins (Scrapy itself ignores Crawl-delay)."""

from types import SimpleNamespace

import warnings

from scrapy.core.downloader import Slot
from scrapy.http import Request, TextResponse

from crawler.fetch.crawl_delay import MAX_CRAWL_DELAY, CrawlDelayMiddleware, robots_crawl_delay


def test_crawl_delay_for_our_agent_or_everyone():
    assert robots_crawl_delay("User-agent: *\nCrawl-delay: 5\n", "chipwatch") == 5.0
    assert robots_crawl_delay("User-agent: chipwatch\nCrawl-delay: 2.5\nUser-agent: *\nCrawl-delay: 9\n",
                              "chipwatch") == 2.5
    assert robots_crawl_delay("User-agent: *\nDisallow: /private/\n", "chipwatch") is None
    assert robots_crawl_delay("\x00garbage", "chipwatch") is None


class FakeDownloader:
    def __init__(self):
        self.slots = {"news.example": Slot(concurrency=1, delay=1.0, jitter=0.5)}    # Scrapy's own slot

    def get_slot_key(self, request):
        return "news.example"


def test_larger_robots_delay_is_applied_to_the_host_slot_and_capped():
    mw = CrawlDelayMiddleware("chipwatch", base_delay=1.0)
    mw.crawler = SimpleNamespace(engine=SimpleNamespace(downloader=FakeDownloader()))
    robots = Request("https://news.example/robots.txt")
    mw.process_response(robots, TextResponse(robots.url, body=b"User-agent: *\nCrawl-delay: 7\n",
                                             encoding="utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # Scrapy's deprecated slot attributes would print at every crawl
        mw.process_request(Request("https://news.example/a.html"))
    slot = mw.crawler.engine.downloader.slots["news.example"]
    assert slot.delay == 7.0 and slot.jitter == 0.0
    mw.process_response(robots, TextResponse(robots.url, body=b"User-agent: *\nCrawl-delay: 100000\n",
                                             encoding="utf-8"))
    mw.process_request(Request("https://news.example/b.html"))
    assert slot.delay == MAX_CRAWL_DELAY


def test_smaller_robots_delay_changes_nothing():
    mw = CrawlDelayMiddleware("chipwatch", base_delay=3.0)
    mw.crawler = SimpleNamespace(engine=SimpleNamespace(downloader=FakeDownloader()))
    robots = Request("https://news.example/robots.txt")
    mw.process_response(robots, TextResponse(robots.url, body=b"User-agent: *\nCrawl-delay: 2\n", encoding="utf-8"))
    mw.process_request(Request("https://news.example/a.html"))
    assert mw.crawler.engine.downloader.slots["news.example"].delay == 1.0
