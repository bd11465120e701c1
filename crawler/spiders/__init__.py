"""Scrapy spiders (one spider reads every source kind; see news.py)."""
