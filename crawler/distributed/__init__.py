"""Crawls and re-extractions as jobs on Celery with a Redis broker, on many machines.

The unit of work is a site (politeness is per host, and the archive makes a
site crawl resumable and idempotent), or a batch of WARC files for a
re-extraction. ``config`` builds the Celery app (a job is acknowledged only
after it finished, so a job whose worker dies is delivered again); ``lease``
keeps one crawl per site across all machines; ``jobs`` records each job's
state and deliveries in Redis; ``tasks`` runs a job (a crawl in its own
process). ``govnews worker`` / ``govnews enqueue`` are the commands.
"""
