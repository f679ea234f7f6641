-- One row per fetched response (list pages, articles, ...), pointing into the WARC files.
SELECT * FROM {captures}
