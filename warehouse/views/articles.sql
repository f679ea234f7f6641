-- The latest version of each article: one row per url_key (the last fetched wins; on a tie
-- in fetched_at, the later run_id). article_versions without the rows a later version
-- replaces, which the connection ranked once when it opened (see _superseded.sql).
SELECT v.* EXCLUDE (_file, _row)
FROM {articles_rows} AS v
ANTI JOIN _superseded AS s ON s._file = v._file AND s._row = v._row
