-- Crawl health per site and day (Asia/Shanghai days; the session time zone).
--   published     articles (latest versions) whose publication date is that day
--   fetched       responses fetched that day (every kind: list pages, articles, robots, ...)
--   new           article rows stored that day whose url_key was never stored before
--   new_versions  article rows stored that day for a url_key already stored (edits)
--   blocked       fetches classified 'blocked' (anti-bot challenge pages, 412/521)
--   dropped       fetched items dropped by validation (outcome 'dropped:<reason>')
--   errors        fetches that failed (timeouts, resets, 5xx, 4xx other than 404/410, ...)
-- Outcome vocabulary: pipelines/signals.py.
WITH published AS (
    SELECT site, CAST(published_at AS DATE) AS day, count(*) AS published
    FROM articles
    WHERE published_at IS NOT NULL
    GROUP BY ALL
),
stored AS (
    SELECT site, CAST(fetched_at AS DATE) AS day,
           count(*) FILTER (WHERE first_version) AS new,
           count(*) FILTER (WHERE NOT first_version) AS new_versions
    FROM (
        SELECT site, fetched_at,
               row_number() OVER (PARTITION BY url_key ORDER BY fetched_at, run_id) = 1 AS first_version
        FROM article_versions
    )
    GROUP BY ALL
),
fetches AS (
    SELECT site, CAST(fetched_at AS DATE) AS day,
           count(*) AS fetched,
           count(*) FILTER (WHERE outcome = 'blocked') AS blocked,
           count(*) FILTER (WHERE outcome LIKE 'dropped%') AS dropped,
           count(*) FILTER (WHERE outcome IN (
               'server_error', 'client_error', 'rate_limited', 'timeout', 'truncated', 'too_large',
               'redirect_loop', 'refused_address', 'dns_error', 'connection_error', 'error'
           )) AS errors
    FROM captures
    GROUP BY ALL
)
SELECT
    coalesce(f.site, s.site, p.site) AS site,
    coalesce(f.day, s.day, p.day) AS day,
    coalesce(p.published, 0) AS published,
    coalesce(f.fetched, 0) AS fetched,
    coalesce(s.new, 0) AS new,
    coalesce(s.new_versions, 0) AS new_versions,
    coalesce(f.blocked, 0) AS blocked,
    coalesce(f.dropped, 0) AS dropped,
    coalesce(f.errors, 0) AS errors
FROM fetches f
FULL OUTER JOIN stored s ON s.site = f.site AND s.day = f.day
FULL OUTER JOIN published p ON p.site = coalesce(f.site, s.site) AND p.day = coalesce(f.day, s.day)
