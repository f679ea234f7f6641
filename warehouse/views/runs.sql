-- One row per crawl run and site: the last event recorded for it (start < end).
-- A run with only a start event is still running, or its process was killed.
SELECT * EXCLUDE (event)
FROM {runs}
QUALIFY row_number() OVER (
    PARTITION BY run_id, site
    ORDER BY CASE event WHEN 'start' THEN 0 ELSE 1 END DESC, coalesce(ended_at, started_at) DESC
) = 1
