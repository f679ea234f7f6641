-- title: The newest articles of a site (or of every site)
-- param: site = | one site slug; empty means every site
-- param: n = 20 | how many articles
SELECT strftime(published_at, '%Y-%m-%d %H:%M') AS published, site, "column", title, source, url
FROM articles
WHERE ($site IS NULL OR site = $site)
ORDER BY published_at DESC NULLS LAST, url_key
LIMIT CAST($n AS INTEGER)
