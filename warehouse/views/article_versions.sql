-- Every archived version of every article (an edit adds a row with a new content_sha256).
-- A version is (url_key, content_sha256) (and its extractor_version): a row that repeats a
-- stored version (overlapping crawls of one site) is left out, see _repeated.sql.
-- Reads a snapshot of the files taken when the connection opened (warehouse/db.py).
SELECT v.* EXCLUDE (_file, _row)
FROM {articles_rows} AS v
ANTI JOIN _repeated AS d ON d._file = v._file AND d._row = v._row
