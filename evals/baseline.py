"""The plain llama-index pipeline the report compares against: default SentenceSplitter, the same embedder,
dense retrieval only, top-k, no refusal, no follow-up rewriting; its 'answer' is the top passage, cited [1]."""

from __future__ import annotations

import time

from llama_index.core import Document, VectorStoreIndex
from llama_index.core.node_parser import SentenceSplitter

from core.embeddings import EmbeddingCache, build_embedder, embedder_id
from core.settings import Settings
from evals.dataset import EvalItem
from ingest.pipeline import collect_files
from ingest.readers import UnreadableFileError, read_document

BASELINE_NAME = "llama-index SentenceSplitter + dense top-k"
_ANSWER_CHARS = 300


class PlainLlamaIndexBaseline:
    def __init__(self, settings: Settings, k: int = 5) -> None:
        files, _ = collect_files([settings.storage.corpus_dir])
        documents = []
        for path in files:
            try:
                documents.append(Document(text=read_document(path), metadata={"source": path.name}))
            except UnreadableFileError:
                continue
        nodes = SentenceSplitter().get_nodes_from_documents(documents)
        self.embedder = build_embedder(settings)
        cache = EmbeddingCache(settings.storage.data_dir / "embedding_cache.sqlite", embedder_id(settings))
        try:
            vectors, _ = cache.embed([n.get_content() for n in nodes], self.embedder.get_text_embedding_batch)
        finally:
            cache.close()
        for node, vector in zip(nodes, vectors, strict=True):
            node.embedding = vector
        self.chunks = len(nodes)
        self.retriever = VectorStoreIndex(nodes, embed_model=self.embedder).as_retriever(similarity_top_k=k)

    def run(self, item: EvalItem) -> dict:
        started = time.perf_counter()
        hits = self.retriever.retrieve(item.question)
        retrieve_ms = (time.perf_counter() - started) * 1000
        retrieved = [
            {
                "source": h.node.metadata.get("source"),
                "chunk_id": h.node.node_id,
                "text": h.node.get_content(),
                "score": float(h.score or 0.0),
            }
            for h in hits
        ]
        top = retrieved[0] if retrieved else None
        answer = f"{top['text'][:_ANSWER_CHARS].strip()}[1]" if top else ""
        citations = [{"n": 1, "source": top["source"], "chunk_id": top["chunk_id"], "text": top["text"]}] if top else []
        return {
            "id": item.id,
            "question": item.question,
            "answer": answer,
            "refused": False,
            "citations": citations,
            "retrieved": retrieved,
            "latency_ms": round(retrieve_ms, 2),
            "timings_ms": {"retrieve": round(retrieve_ms, 2)},
        }
