"""Scrapy item pipelines and pure extraction (middle layer: may import warehouse, never crawler)."""
