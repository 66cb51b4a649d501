"""Item pipelines, one concern each, in order: validate, normalise, dedup, store.

Every drop and every correction is counted in the crawl stats under newscrawler/<pipeline>/….
"""
