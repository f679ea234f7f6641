-- title: Articles mentioning a keyword (title or body), per district per month
-- param: keyword = 疫情防控 | text to look for (plain substring; Chinese has no case)
-- param: site = | one site slug; empty means every site
-- param: since = 1900-01-01 | first publication day, inclusive (YYYY-MM-DD)
-- param: until = 2999-12-31 | last publication day, inclusive (YYYY-MM-DD)
SELECT site, district, strftime(published_at, '%Y-%m') AS month,
       count(*) FILTER (WHERE contains(title, $keyword) OR contains(body_text, $keyword)) AS matching,
       count(*) AS articles
FROM articles
WHERE ($site IS NULL OR site = $site)
  AND published_at >= CAST($since AS DATE)
  AND published_at < CAST($until AS DATE) + INTERVAL 1 DAY
GROUP BY ALL
ORDER BY site, month
