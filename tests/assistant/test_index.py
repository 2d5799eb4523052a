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
