-- Every archived version of every article (an edit adds a row with a new content_sha256).
-- Reads a snapshot of the files taken when the connection opened (warehouse/db.py).
SELECT * FROM {articles}
