"""The ingest run: files -> chunks -> cached embeddings -> a new Chroma generation + BM25 -> publish."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from core.embeddings import EmbeddingCache, build_embedder, embedder_id
from core.errors import NothingToIndexError, PathOutsideCorpusError, UnreadableFileError
from core.schema import Chunk, IndexState
from core.settings import Settings
from core.store import ChromaIndexStore, bm25_problem
from ingest.chunking import chunk_document
from ingest.manifest import MANIFEST_NAME, load_manifest, paper_meta
from ingest.readers import SUPPORTED_SUFFIXES, read_source
from ingest.structure import parse_document

logger = logging.getLogger(__name__)

# Bump when cleaning/structure/chunking changes what a file turns into, so the next ingest rebuilds.
# 7: PDFs through pypdfium2 (running headers, TOC, footnote calls), page numbers on chunks, OCR of scanned pages
# 8: DOCX heading styles, government headings ending in 。, 第X节, bare 第X条 kept with its text, chunks cut at
#    article starts, 本法/本办法/… resolved to the title in the embedded and BM25 text
PIPELINE_VERSION = "8"  # 5: wide HNSW search beam; 6: page breaks inside a word rejoined
_IGNORED_NAMES = {MANIFEST_NAME, "README.md", ".gitkeep"}


@dataclass
class IngestReport:
    files: int = 0
    chunks: int = 0
    tokens: int = 0
    embedded: int = 0  # chunks that had to be embedded (not found in the cache)
    seconds: float = 0.0
    up_to_date: bool = False
    changes: dict[str, str] = field(default_factory=dict)  # source -> new | changed | unchanged | removed
    skipped: dict[str, str] = field(default_factory=dict)  # path -> reason
    collection: str = ""
    repaired: list[str] = field(default_factory=list)  # damaged index files rebuilt by this run

    def summary(self) -> str:
        lines = [
            "index is up to date; nothing to do"
            if self.up_to_date
            else (f"repaired {self.collection}" if self.repaired else f"published {self.collection}"),
            f"files: {self.files}  chunks: {self.chunks}  tokens: {self.tokens}  newly embedded: {self.embedded}  "
            f"seconds: {self.seconds:.1f}",
        ]
        counts: dict[str, int] = {}
        for status in self.changes.values():
            counts[status] = counts.get(status, 0) + 1
        if counts:
            lines.append("changes: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        for path, reason in self.skipped.items():
            lines.append(f"skipped {path}: {reason}")
        lines += [f"repaired: {what}" for what in self.repaired]
        return "\n".join(lines)


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], dict[str, str]]:
    """Supported files under ``paths`` (sorted) and the paths skipped with a reason."""
    files: list[Path] = []
    skipped: dict[str, str] = {}
    for path in paths:
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            candidates = [path]
        else:
            skipped[str(path)] = "no such file or directory"
            continue
        for candidate in candidates:
            if candidate.name in _IGNORED_NAMES:
                continue
            if candidate.suffix.lower() not in SUPPORTED_SUFFIXES:
                skipped[str(candidate)] = f"unsupported file type {candidate.suffix or '(none)'}"
                continue
            files.append(candidate)
    return files, skipped


def _fingerprint(settings: Settings, files: dict[str, str], manifest: dict) -> str:
    config = {
        "pipeline": PIPELINE_VERSION,
        "chunk_tokens": settings.chunking.tokens,
        "overlap": settings.chunking.overlap_sentences,
        "embedder": embedder_id(settings),
        "hnsw_ef_search": settings.storage.hnsw_ef_search,
        "files": files,
        "manifest": manifest,
    }
    return hashlib.sha256(json.dumps(config, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def chunk_files(
    files: list[Path], settings: Settings, manifests: dict[str, dict]
) -> tuple[list[Chunk], dict[str, str], dict[str, dict], dict[str, str]]:
    """Chunks of every readable file, content hashes, paper metadata, and unreadable files with reasons."""
    chunks: list[Chunk] = []
    hashes: dict[str, str] = {}
    papers: dict[str, dict] = {}
    skipped: dict[str, str] = {}
    for path in files:
        source = path.name
        if source in hashes:
            skipped[str(path)] = f"another file named {source} is already indexed"
            continue
        try:
            raw = path.read_bytes()
            text = read_source(path, ocr=settings.ingest.ocr)
        except UnreadableFileError as exc:
            skipped[str(path)] = str(exc)
            continue
        except OSError as exc:
            skipped[str(path)] = f"cannot read: {exc.strerror or exc}"
            continue
        document = parse_document(
            text.text, markdown_headings=text.markdown, styled_headings=text.styled_headings, known_title=text.title
        )
        meta = paper_meta(source, manifests, document.title or text.title)
        file_chunks = chunk_document(
            document,
            source,
            meta.title,
            settings.chunking.tokens,
            settings.chunking.overlap_sentences,
            page_at=text.page_at if text.page_starts else None,
        )
        if not file_chunks:
            skipped[str(path)] = "no content left after cleaning"
            continue
        hashes[source] = hashlib.sha256(raw).hexdigest()
        papers[source] = {**asdict(meta), "chunks": len(file_chunks)}
        chunks.extend(file_chunks)
    return chunks, hashes, papers, skipped


def check_inside(paths: Iterable[Path], settings: Settings) -> None:
    """Refuse paths that escape the corpus or data directory ("../../etc/passwd", symlinks out of the tree):
    ingest serves whatever it reads to every user of the assistant."""
    roots = [settings.storage.corpus_dir.resolve(), settings.storage.data_dir.resolve()]
    for path in paths:
        resolved = path.resolve()
        if not any(resolved == root or resolved.is_relative_to(root) for root in roots):
            raise PathOutsideCorpusError(
                f"{path} is outside the corpus directory {settings.storage.corpus_dir} (and the data directory); "
                "copy the file into the corpus directory or set RONGZHI_CORPUS_DIR"
            )


def run_ingest(settings: Settings, paths: list[Path] | None = None, show_progress: bool = False) -> IngestReport:
    started = time.perf_counter()
    if paths:
        check_inside(paths, settings)
    roots = paths or [settings.storage.corpus_dir]
    files, skipped = collect_files(roots)
    manifests: dict[str, dict] = {}
    for root in [settings.storage.corpus_dir, *(p for p in roots if p.is_dir())]:
        manifests.update(load_manifest(root))

    chunks, hashes, papers, unreadable = chunk_files(files, settings, manifests)
    skipped.update(unreadable)
    for path, reason in skipped.items():
        logger.warning("skipped %s: %s", path, reason)

    store = ChromaIndexStore(settings)
    previous = store.current_state()
    fingerprint = _fingerprint(settings, hashes, {s: manifests.get(s) for s in hashes})
    report = IngestReport(files=len(hashes), chunks=len(chunks), tokens=sum(c.tokens for c in chunks), skipped=skipped)
    old_files = previous.files if previous else {}
    for source, digest in hashes.items():
        report.changes[source] = (
            "new" if source not in old_files else ("unchanged" if old_files[source] == digest else "changed")
        )
    for source in old_files.keys() - hashes.keys():
        report.changes[source] = "removed"

    if previous is not None and previous.fingerprint == fingerprint:
        problem = bm25_problem(settings, previous)
        if problem is not None:  # an unchanged corpus must not leave a damaged index unrepairable
            logger.warning("rebuilding the BM25 index: %s", problem)
            store.repair_bm25(previous)
            report.repaired.append(f"BM25 index of {previous.collection} rebuilt ({problem})")
        report.up_to_date = not report.repaired
        report.collection = previous.collection
        report.seconds = time.perf_counter() - started
        return report
    if not chunks:
        raise NothingToIndexError(
            "no readable documents to index: " + "; ".join(f"{p}: {r}" for p, r in skipped.items())
        )

    model_id = embedder_id(settings)
    cache = EmbeddingCache(settings.storage.data_dir / "embedding_cache.sqlite", model_id)
    embedder = None

    def embed_batch(texts: list[str]) -> list[list[float]]:
        nonlocal embedder
        if embedder is None:
            embedder = build_embedder(settings)
        return embedder.get_text_embedding_batch(texts)

    progress = None
    if show_progress:
        from tqdm import tqdm

        progress = tqdm(total=len(chunks), desc="embedding", unit="chunk")
    try:
        vectors, report.embedded = cache.embed(
            [c.embedding_text() for c in chunks],
            embed_batch,
            settings.embedding.batch_size,
            on_progress=progress.update if progress else None,
        )
    finally:
        cache.close()
        if progress:
            progress.close()

    state = IndexState(
        collection="",
        fingerprint=fingerprint,
        files=hashes,
        papers=papers,
        chunks=len(chunks),
        tokens=report.tokens,
        embedder=model_id,
    )
    report.collection = store.publish_generation(chunks, vectors, state).collection
    report.seconds = time.perf_counter() - started
    return report
