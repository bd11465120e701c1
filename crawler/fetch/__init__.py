"""Downloader middlewares Scrapy lacks: robots.txt Crawl-delay, and guards on what is fetched."""
