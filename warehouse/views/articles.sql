-- The latest version of each article: one row per url_key.
SELECT * FROM article_versions
QUALIFY row_number() OVER (PARTITION BY url_key ORDER BY fetched_at DESC, run_id DESC) = 1
