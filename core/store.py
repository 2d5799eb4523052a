"""The Chroma side of the index: generations of collections and an atomic pointer to the one being served.

Every ingest writes a complete new collection, then flips the pointer. A reader follows the pointer, so an
ingest killed at any point leaves the previous generation serving. The pointer lives in Chroma itself, so
several UI workers against one Chroma server all see the same generation.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import sqlite3
import time
import uuid
from contextlib import closing
from dataclasses import asdict
from pathlib import Path

from core.bm25 import BM25Index
from core.errors import CorruptIndexError, DamagedStoreError, StoreUnavailableError
from core.schema import Chunk, IndexState
from core.settings import Settings

logger = logging.getLogger(__name__)

_STATE_ID = "current"
_READ_PAGE = 5000
_WRITE_BATCH = 256
_EF_CONSTRUCTION = 200
# Chroma names each HNSW segment's directory after the segment's UUID; only such names are ever removed.
_SEGMENT_DIR = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_VACUUM_TIMEOUT = 5.0  # seconds to wait for readers' locks before giving up on this ingest's VACUUM


_SQLITE_HEADER = b"SQLite format 3\x00"


def damaged_store(settings: Settings) -> DamagedStoreError:
    """The one-line error for a local Chroma store that cannot be read: its path and the way out."""
    chroma_dir = settings.storage.data_dir / "chroma"
    return DamagedStoreError(
        f"索引库损坏：{chroma_dir / 'chroma.sqlite3'}；请删除 {chroma_dir} 后运行 rongzhi ingest 重建"
    )


def sqlite_problem(database: Path) -> str | None:
    """Why ``database`` is not a sound SQLite file (None if it is, or does not exist yet).

    Checked before Chroma opens it: Chroma's Rust core answers a garbled file with a 49-line panic (a pyo3
    PanicException) or half-opens it. The 16-byte header catches garbage; ``PRAGMA quick_check`` catches
    truncation and damaged pages (40 ms on the 8 MB store of the whole corpus).
    """
    if not database.exists():
        return None
    try:
        with database.open("rb") as f:
            if f.read(16) != _SQLITE_HEADER:
                return "not an SQLite file"
        with closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)) as db:
            result = db.execute("PRAGMA quick_check").fetchone()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):  # a writer holds it (an ingest): not a sign of damage
            return None
        return str(exc)
    except (sqlite3.Error, OSError) as exc:
        return str(exc)
    return None if result and result[0] == "ok" else f"quick_check: {result[0] if result else 'no answer'}"


def _is_panic(exc: BaseException) -> bool:
    # pyo3's PanicException derives from BaseException and cannot be imported by a stable name: match it by name.
    return type(exc).__name__ == "PanicException"


def open_client(settings: Settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.storage.chroma_host:
        where = f"{settings.storage.chroma_host}:{settings.storage.chroma_port}"
        try:
            return chromadb.HttpClient(
                host=settings.storage.chroma_host, port=settings.storage.chroma_port, settings=chroma_settings
            )
        except Exception as exc:  # chromadb raises bare ValueError/ConnectionError variants
            raise StoreUnavailableError(
                f"cannot reach the Chroma server at {where} ({exc}); start it or unset RONGZHI_STORAGE__CHROMA_HOST"
            ) from exc
    path = settings.storage.data_dir / "chroma"
    problem = sqlite_problem(path / "chroma.sqlite3")
    if problem:
        logger.info("%s is damaged: %s", path / "chroma.sqlite3", problem)
        raise damaged_store(settings)
    try:
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except OSError as exc:
        raise StoreUnavailableError(f"cannot open the Chroma store at {path}: {exc.strerror or exc}") from exc
    except BaseException as exc:
        if not (isinstance(exc, Exception) or _is_panic(exc)):
            raise  # KeyboardInterrupt, SystemExit
        logger.info("Chroma could not open %s: %s", path, exc)
        raise damaged_store(settings) from exc


class ChromaIndexStore:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client = open_client(settings)
        self.prefix = settings.storage.collection_prefix

    @property
    def _state_name(self) -> str:
        return f"{self.prefix}_state"

    def _state_collection(self):
        return self.client.get_or_create_collection(self._state_name, embedding_function=None)

    def current_state(self) -> IndexState | None:
        try:
            got = self._state_collection().get(ids=[_STATE_ID], include=["documents"])
        except BaseException as exc:
            if not (isinstance(exc, Exception) or _is_panic(exc)):
                raise  # KeyboardInterrupt, SystemExit
            if self.settings.storage.chroma_host:
                where = f"{self.settings.storage.chroma_host}:{self.settings.storage.chroma_port}"
                raise StoreUnavailableError(
                    f"cannot read the index state from the Chroma server at {where}: {exc}"
                ) from exc
            logger.info("Chroma could not read the index state: %s", exc)
            if "locked" in str(exc) or "busy" in str(exc):  # another process writing: not damage
                raise StoreUnavailableError(
                    f"cannot read the index state from {self.settings.storage.data_dir / 'chroma'}: {exc}; retry"
                ) from exc
            # a local store that opens but cannot be read is damaged below what quick_check sees (e.g. its
            # segments or log), and deleting it is the only repair
            raise damaged_store(self.settings) from exc
        if not got["ids"]:
            return None
        return IndexState(**json.loads(got["documents"][0]))

    def new_collection(self):
        name = f"{self.prefix}_g{time.strftime('%Y%m%d%H%M%S')}_{uuid.uuid4().hex[:6]}"
        # Chroma rebuilds a small collection's HNSW graph in every process that opens it, with threads, so the
        # graph differs from one process to the next; with the default ef_search (100) the top-30 then misses a
        # true neighbour in about 1 query of 10, differently each run. A beam of ef_search makes the search
        # exhaustive at corpus scale (measured: 0 of 2010 neighbours missed, against 4-11 with the default),
        # so the same question gets the same passages in every process.
        hnsw = {
            "space": "cosine",
            "ef_search": self.settings.storage.hnsw_ef_search,
            "ef_construction": _EF_CONSTRUCTION,
        }
        return self.client.create_collection(name, embedding_function=None, configuration={"hnsw": hnsw})

    def write_chunks(self, collection, chunks: list[Chunk], vectors: list[list[float]]) -> None:
        for start in range(0, len(chunks), _WRITE_BATCH):
            batch = chunks[start : start + _WRITE_BATCH]
            collection.add(
                ids=[c.chunk_id for c in batch],
                documents=[c.text for c in batch],
                metadatas=[c.to_metadata() for c in batch],
                embeddings=vectors[start : start + _WRITE_BATCH],
            )

    def publish(self, state: IndexState) -> None:
        """Point readers at ``state.collection``; the single upsert is the commit of an ingest."""
        self._state_collection().upsert(
            ids=[_STATE_ID], documents=[json.dumps(asdict(state), ensure_ascii=False)], embeddings=[[0.0]]
        )

    def collect_garbage(self, keep: set[str]) -> list[str]:
        """Delete generations that are neither current nor kept (the previous one stays for running readers)."""
        removed = []
        for collection in self.client.list_collections():
            name = collection if isinstance(collection, str) else collection.name
            if name.startswith(f"{self.prefix}_g") and name not in keep:
                self.client.delete_collection(name)
                removed.append(name)
        return removed

    def repair_bm25(self, state: IndexState) -> IndexState:
        """Rebuild the BM25 file of the published generation from its chunks in Chroma and record its checksum."""
        bm25 = build_bm25(self.load_chunks(state.collection))
        state.bm25_sha256 = bm25.save(bm25_path(self.settings, state.collection))
        self.publish(state)
        return state

    def collection(self, name: str):
        return self.client.get_collection(name, embedding_function=None)

    def load_chunks(self, name: str) -> list[Chunk]:
        collection = self.collection(name)
        chunks: list[Chunk] = []
        # paged: one get() of a large collection exceeds SQLite's bound-variable limit inside Chroma
        for offset in range(0, collection.count(), _READ_PAGE):
            got = collection.get(include=["documents", "metadatas"], limit=_READ_PAGE, offset=offset)
            chunks += [Chunk(text=doc, **meta) for doc, meta in zip(got["documents"], got["metadatas"], strict=True)]
        return sorted(chunks, key=lambda c: (c.source, c.order))

    def publish_generation(
        self, chunks: list[Chunk], vectors: list[list[float]], state: IndexState, bm25: BM25Index | None = None
    ) -> IndexState:
        """Write ``chunks`` as a new collection with its BM25 index, then point readers at it (one upsert).

        ``state.collection`` is filled in here; the generation before the previous one is removed.
        """
        previous = self.current_state()
        collection = self.new_collection()
        self.write_chunks(collection, chunks, vectors)
        state.bm25_sha256 = (bm25 or build_bm25(chunks)).save(bm25_path(self.settings, collection.name))
        state.collection = collection.name
        self.publish(state)
        keep = {collection.name} | ({previous.collection} if previous else set())
        for name in self.collect_garbage(keep):
            bm25_path(self.settings, name).unlink(missing_ok=True)
        for old_pickle in bm25_path(self.settings, collection.name).parent.glob("*.pkl"):
            old_pickle.unlink(missing_ok=True)  # earlier versions' pickles: never read, so not kept either
        if not self.settings.storage.chroma_host:
            reclaim_disk(self.settings.storage.data_dir / "chroma")
        return state


def reclaim_disk(chroma_dir: Path) -> tuple[list[str], int]:
    """Remove HNSW segment directories no collection uses any more and VACUUM chroma.sqlite3.

    Chroma's local store keeps a deleted collection's segment directory and the SQLite pages it freed (Chroma
    issues #5259, #5520): before this, 20 re-ingests left 16 orphans and doubled the data dir. Returns the removed
    directory names and the bytes the VACUUM gave back. Never fails an ingest: the index is already published,
    so a busy or unreadable database is logged and left for the next one.
    """
    database = chroma_dir / "chroma.sqlite3"
    removed: list[str] = []
    try:
        with closing(sqlite3.connect(database, timeout=_VACUUM_TIMEOUT, isolation_level=None)) as db:
            live = {row[0] for row in db.execute("SELECT id FROM segments")}
            for entry in chroma_dir.iterdir():
                if entry.is_dir() and _SEGMENT_DIR.match(entry.name) and entry.name not in live:
                    shutil.rmtree(entry)
                    removed.append(entry.name)
            before = database.stat().st_size
            db.execute("VACUUM")
            freed = before - database.stat().st_size
    except (sqlite3.Error, OSError) as exc:
        logger.warning("could not reclaim space in %s (will retry at the next ingest): %s", chroma_dir, exc)
        return removed, 0
    logger.info("removed %d orphaned segment directories, VACUUM freed %d bytes", len(removed), freed)
    return removed, freed


def bm25_path(settings: Settings, collection: str) -> Path:
    # .npz, never the .pkl of earlier versions: an old pickle left in the data dir is simply not looked at
    return settings.storage.data_dir / "bm25" / f"{collection}.npz"


def build_bm25(chunks: list[Chunk]) -> BM25Index:
    """The lexical index of a generation: each chunk's section path and text (see ``Chunk.lexical_text``).

    Chunks are taken in (source, order), the order ``load_chunks`` returns, so the index built at ingest and one
    rebuilt later from Chroma are byte for byte the same file (and match the recorded checksum).
    """
    ordered = sorted(chunks, key=lambda c: (c.source, c.order))
    return BM25Index.build([c.chunk_id for c in ordered], [c.lexical_text() for c in ordered])


def load_bm25(settings: Settings, state: IndexState, chunks: list[Chunk]) -> BM25Index:
    """The saved BM25 index of ``state``, checked against its recorded sha256 (CorruptIndexError if it fails).

    A worker on another host than the ingest has no file: it rebuilds from the chunks and keeps the file when it
    matches the recorded checksum.
    """
    path = bm25_path(settings, state.collection)
    if path.is_file():
        return BM25Index.load(path, state.bm25_sha256)
    bm25 = build_bm25(chunks)
    digest = hashlib.sha256(bm25.to_bytes()).hexdigest()
    if not state.bm25_sha256 or digest == state.bm25_sha256:
        bm25.save(path)
    else:
        logger.warning("rebuilt BM25 index of %s differs from the recorded one; serving it without saving", path)
    return bm25


def bm25_problem(settings: Settings, state: IndexState) -> str | None:
    """Why the BM25 file of ``state`` cannot be served (missing, unreadable, checksum), or None when it can."""
    path = bm25_path(settings, state.collection)
    if not path.is_file():
        return f"{path} is missing"
    try:
        BM25Index.load(path, state.bm25_sha256)
    except CorruptIndexError as exc:
        return str(exc)
    return None
