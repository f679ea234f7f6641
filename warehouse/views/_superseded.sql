-- Not a view: a temp table computed once per connection, over its snapshot of files
-- (warehouse/db.py, MATERIALISED). The rows of article_versions that a later version of the
-- same article replaces, named by their place in the snapshot: file name and row number.
--
-- ``articles`` is article_versions without these rows. Ranking every version in each query
-- would hold back every filter (body_text LIKE ..., published_at ranges) until all rows,
-- bodies included, were ranked; ranking once here reads only the small key columns, and a
-- query on ``articles`` keeps its filters at the Parquet scan.
--
-- Candidates first: a 64-bit hash of (site, url_key) seen more than once (little memory even
-- at millions of rows). A collision only adds candidates; the window decides on the real key.
-- A url_key belongs to one site (its host is part of it): partitioning by (site, url_key)
-- changes no result.
WITH twice AS (
    SELECT hash(site, url_key) AS h FROM {articles_keys} GROUP BY h HAVING count(*) > 1
)
SELECT _file, _row
FROM {articles_keys}
WHERE hash(site, url_key) IN (SELECT h FROM twice)
QUALIFY row_number() OVER (PARTITION BY site, url_key ORDER BY fetched_at DESC, run_id DESC) > 1
