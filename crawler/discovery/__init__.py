"""Zero-config discovery: from a district portal's home page to a site file (``govnews discover``).

``keywords.toml`` ranks navigation links by their anchor text; :mod:`.patterns` infers an
article URL pattern; :mod:`.columns` judges one fetched page (is it a news column, which list
format and pagination); :mod:`.explore` walks the portal as a generator of fetches (pure: the
Scrapy spider :mod:`crawler.spiders.discover` does the fetching, politely); :mod:`.sitefile`
writes the result as TOML that ``govnews crawl`` reads as it is.
"""
