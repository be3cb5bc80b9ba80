"""Ingest: many articles from files, directories, feeds and WARCs, analysed in parallel and
saved to the store in batches, resumable after a crash (see pipeline)."""

from .pipeline import DEFAULT_BATCH_SIZE, IngestStats, TimeLimit, default_workers, ingest, ingest_items

__all__ = ["DEFAULT_BATCH_SIZE", "IngestStats", "TimeLimit", "default_workers", "ingest", "ingest_items"]
