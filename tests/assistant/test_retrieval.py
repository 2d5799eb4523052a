"""Dense retrieval on the real index: the candidates are the exact nearest neighbours, so every process that
opens the index gives a question the same passages (trainers show the same answer twice)."""

import numpy as np

from evals.dataset import DEFAULT_DATASET, load_dataset


def test_dense_candidates_are_the_exact_nearest_neighbours(assistant) -> None:
    generation = assistant.index.current()
    got = generation.collection.get(include=["embeddings"])
    vectors = np.asarray(got["embeddings"], dtype=np.float64)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    pool = assistant.settings.retrieval.candidate_pool
    missed = {}
    for item in load_dataset(DEFAULT_DATASET):
        query = np.asarray(assistant.index.embedder.get_query_embedding(item.question))
        exact = {got["ids"][i] for i in np.argsort(-(vectors @ query))[:pool]}
        found = {chunk_id for chunk_id, _ in assistant.retriever.dense(generation, item.question, pool, None)}
        if exact - found:
            missed[item.id] = sorted(exact - found)
    assert not missed


def test_source_filter_keeps_only_that_paper(assistant) -> None:
    source = "004_d74038458770c382.txt"
    result = assistant.retriever.retrieve("新质生产力的内涵是什么", [source])
    assert result.passages and {p.source for p in result.passages} == {source}
