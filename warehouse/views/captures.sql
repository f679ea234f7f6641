-- One row per fetched response (list pages, articles, robots, ...), pointing into the WARC files.
-- outcome: see pipelines/signals.py ('ok', 'blocked', 'timeout', ..., 'stored', 'dropped:<reason>').
SELECT * FROM {captures}
