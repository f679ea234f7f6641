-- title: Sources (来源) ranked by articles, per district
-- param: site = | one site slug; empty means every site
-- param: since = 1900-01-01 | first publication day, inclusive (YYYY-MM-DD)
-- param: until = 2999-12-31 | last publication day, inclusive (YYYY-MM-DD)
-- param: top = 10 | sources kept per district
SELECT site, district, source, articles, rank
FROM (
    SELECT site, district, source, count(*) AS articles,
           rank() OVER (PARTITION BY site ORDER BY count(*) DESC) AS rank
    FROM articles
    WHERE source IS NOT NULL AND source <> ''
      AND ($site IS NULL OR site = $site)
      AND published_at >= CAST($since AS DATE)
      AND published_at < CAST($until AS DATE) + INTERVAL 1 DAY
    GROUP BY site, district, source
)
WHERE rank <= CAST($top AS INTEGER)
ORDER BY site, rank, source
