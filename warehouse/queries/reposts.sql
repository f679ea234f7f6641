-- title: Reposts: the same text (content hash) published by several sites
-- param: min_sites = 2 | at least this many distinct sites
-- param: since = 1900-01-01 | first publication day, inclusive (YYYY-MM-DD)
-- param: limit = 100 | rows shown
SELECT content_sha256,
       count(DISTINCT site) AS sites,
       count(*) AS articles,
       min(published_at) AS first_published,
       arg_min(site, published_at) AS first_site,
       arg_min(title, published_at) AS title,
       list(DISTINCT site ORDER BY site) AS site_list
FROM articles
WHERE content_sha256 IS NOT NULL
  AND (published_at IS NULL OR published_at >= CAST($since AS DATE))
GROUP BY content_sha256
HAVING count(DISTINCT site) >= CAST($min_sites AS INTEGER)
ORDER BY sites DESC, first_published, content_sha256
LIMIT CAST($limit AS INTEGER)
