"""govnews' overrides of Scrapy's own commands (``COMMANDS_MODULE`` in crawler.settings)."""
