-- Not a view: a temp table computed once per connection, over its snapshot of files
-- (warehouse/db.py, MATERIALISED). The rows of the articles files that repeat a version
-- another row already stores: same site, url_key, content_sha256 and extractor_version.
-- Two crawls of one site that overlapped (a lease that expired under a slow worker, a
-- `govnews crawl` beside the job engine) or a job that ran twice both store it; one copy
-- stands for the version: the last fetched (the one `articles` ranks first), so `articles`
-- is always one of `article_versions`' rows. A row of another extractor_version is a
-- version of its own (a re-extraction adds it on purpose).
--
-- Candidates first, from the key columns every file has: 64-bit hashes of (site, url_key,
-- content_sha256) seen more than once ({repeated_candidates}, warehouse/db.py; an archive
-- without overlaps has none, and then this is not run at all).
SELECT _file, _row
FROM {articles_rows}
WHERE hash(site, url_key, content_sha256) IN (SELECT h FROM {repeated_candidates})
QUALIFY row_number() OVER (
    PARTITION BY site, url_key, content_sha256, extractor_version
    ORDER BY fetched_at DESC, run_id DESC, _file DESC, _row DESC
) > 1
