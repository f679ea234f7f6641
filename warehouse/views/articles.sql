-- The latest version of each article: one row per url_key (the last fetched wins).
-- A url_key belongs to one site (its host is part of it), so partitioning by (site, url_key)
-- changes no result and lets a filter on site reach the files (only that site's files are read).
SELECT * FROM article_versions
QUALIFY row_number() OVER (PARTITION BY site, url_key ORDER BY fetched_at DESC, run_id DESC) = 1
