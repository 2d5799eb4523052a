"""The served index: one generation per answer (CorpusIndex.pinned)."""

from __future__ import annotations

import threading


def test_a_pinned_generation_is_read_once_and_only_in_its_thread(tmp_path, make_settings, small_corpus) -> None:
    from assistant.index import CorpusIndex
    from ingest.pipeline import run_ingest

    settings = make_settings(tmp_path / "data", storage={"corpus_dir": small_corpus(tmp_path)})
    run_ingest(settings)
    index = CorpusIndex(settings)
    reads = []
    store = index._open_store()
    read_state = store.current_state
    store.current_state = lambda: reads.append(threading.get_ident()) or read_state()
    with index.pinned() as generation:
        assert index.current() is generation and index.current() is generation
        with index.pinned() as inner:
            assert inner is generation
        assert reads == [threading.get_ident()]
        other = []
        worker = threading.Thread(target=lambda: other.append(index.current()))
        worker.start()
        worker.join()
        assert len(reads) == 2  # another thread still asks the store
    index.current()
    assert len(reads) == 3  # after the block this thread asks again, so a new ingest is seen


def test_line_similarities_pair_each_passage_line_with_its_stored_vector(tmp_path, make_settings, small_corpus) -> None:
    import numpy as np

    from assistant.index import CorpusIndex
    from ingest.pipeline import run_ingest

    settings = make_settings(tmp_path / "data", storage={"corpus_dir": small_corpus(tmp_path)})
    run_ingest(settings)
    index = CorpusIndex(settings)
    generation = index.current()
    chunks = [c for c in generation.chunks if c.kind != "reference" and len(c.retrieval_units()) > 1]
    assert chunks
    chunk = chunks[0]
    question = chunk.retrieval_units()[1]
    vector = index.embedder.get_query_embedding(question)
    found = generation.line_similarities([chunk.chunk_id, "no-such-chunk"], vector)
    assert list(found) == [chunk.chunk_id]
    lines = found[chunk.chunk_id]
    assert [chunk.text[x.start : x.end].strip() for x in lines] == chunk.retrieval_units()
    # the similarities are those of each line's own passage vector, embedded afresh
    fresh = np.asarray(index.embedder.get_text_embedding_batch(chunk.retrieval_units()))
    query = np.asarray(vector) / np.linalg.norm(vector)
    expected = fresh @ query / np.linalg.norm(fresh, axis=1)
    assert np.allclose([x.similarity for x in lines], expected, atol=1e-3)
    assert generation.line_similarities([chunk.chunk_id], None) == {}
