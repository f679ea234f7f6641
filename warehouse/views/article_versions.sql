-- Every archived version of every article (an edit adds a row with a new content_sha256).
SELECT * FROM {articles}
