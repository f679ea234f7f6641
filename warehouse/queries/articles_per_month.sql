-- title: Articles per district per month (latest versions, by publication month)
-- param: site = | one site slug; empty means every site
-- param: since = 1900-01-01 | first publication day, inclusive (YYYY-MM-DD)
-- param: until = 2999-12-31 | last publication day, inclusive (YYYY-MM-DD)
SELECT site, district, strftime(published_at, '%Y-%m') AS month, count(*) AS articles
FROM articles
WHERE ($site IS NULL OR site = $site)
  AND published_at >= CAST($since AS DATE)
  AND published_at < CAST($until AS DATE) + INTERVAL 1 DAY
GROUP BY ALL
ORDER BY site, month
