"""The bottom layer shared by ingest (writes the index) and assistant (reads it): settings, errors, text primitives,
the index schema and its Chroma/BM25 storage. It imports nothing from the packages above it."""
