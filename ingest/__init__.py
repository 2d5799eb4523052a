"""Ingestion: read -> clean -> structure -> chunk -> embed -> store (Chroma + BM25)."""
