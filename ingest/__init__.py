"""Ingestion: read -> clean -> structure -> chunk -> embed -> store (Chroma + BM25)."""

from ingest.offline import configure_offline

configure_offline()
