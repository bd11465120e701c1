from crawler.urls import canonicalize, is_web_url, same_site


def test_tracking_parameters_and_fragments_are_stripped():
    assert canonicalize("HTTPS://WWW.Example.co.kr:443/news/view.html?idxno=12&utm_source=rss&utm_medium=x"
                        "&fbclid=abc#comments") == "https://www.example.co.kr/news/view.html?idxno=12"
    assert canonicalize("http://127.0.0.1:8000/a?b=1&gclid=2") == "http://127.0.0.1:8000/a?b=1"
    assert canonicalize("http://example.com") == "http://example.com/"


def test_query_order_and_meaningful_params_are_kept():
    assert canonicalize("http://e.kr/view.php?no=2&cat=1") == "http://e.kr/view.php?no=2&cat=1"


def test_only_http_urls_are_web_urls():
    assert is_web_url("https://a.kr/x")
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,hi", "mailto:a@b", "http://", ""):
        assert not is_web_url(bad)


def test_same_site():
    assert same_site("https://www.a.co.kr/x", "https://a.co.kr/y")
    assert same_site("https://news.a.co.kr/x", "https://a.co.kr/y")
    assert not same_site("https://a.co.kr/x", "https://b.co.kr/y")
