"""govnews crawler: the Scrapy project (top layer) and the ``govnews`` CLI."""
