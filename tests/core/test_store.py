"""The Chroma store's disk use: old generations' HNSW segment directories and SQLite pages are reclaimed after
each publish, so re-ingesting keeps the data dir the same size (Chroma leaves both behind, #5259/#5520)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from core.store import reclaim_disk
from ingest.pipeline import run_ingest


def tree_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def segment_dirs(chroma: Path) -> tuple[set[str], set[str]]:
    """(HNSW directories on disk, segment ids Chroma still knows)."""
    with sqlite3.connect(chroma / "chroma.sqlite3") as db:
        live = {row[0] for row in db.execute("SELECT id FROM segments")}
    return {d.name for d in chroma.iterdir() if d.is_dir()}, live


def test_reingests_leave_no_orphaned_segments_and_the_store_does_not_grow(
    tmp_path: Path, make_settings, small_corpus
) -> None:
    settings = make_settings(tmp_path / "data", storage={"corpus_dir": small_corpus(tmp_path)})
    chroma = settings.storage.data_dir / "chroma"
    sizes = []
    for version in range(1, 7):
        small_corpus(tmp_path, version)  # changed text: each ingest publishes a new generation
        report = run_ingest(settings)
        assert not report.up_to_date
        on_disk, live = segment_dirs(chroma)
        assert on_disk <= live, f"orphaned segment directories after ingest {version}: {on_disk - live}"
        sizes.append(tree_size(chroma) + tree_size(settings.storage.data_dir / "bm25"))
    print("chroma + bm25 bytes after each ingest:", sizes)
    # from the second ingest on there are always two generations (current and previous) on disk
    assert max(sizes[1:]) <= sizes[1] * 1.25  # without reclaiming: +~190 KB (one HNSW dir) per ingest


def test_reclaiming_a_garbled_store_removes_nothing_and_does_not_raise(tmp_path: Path) -> None:
    chroma = tmp_path / "chroma"
    segment = chroma / "0fe09a8c-6b13-4008-b8ad-fbcac3a3acd1"
    segment.mkdir(parents=True)
    (chroma / "chroma.sqlite3").write_bytes(b"not a database" * 100)
    assert reclaim_disk(chroma) == ([], 0)
    assert segment.is_dir()  # without a readable segments table nothing is known to be orphaned


def _garble(database: Path) -> None:
    data = bytearray(database.read_bytes())
    data[4096:40960] = b"\x5a" * (40960 - 4096)  # pages after the header page overwritten
    database.write_bytes(bytes(data))


def _truncate(database: Path) -> None:
    with database.open("r+b") as f:
        f.truncate(9000)


def _clobber_header(database: Path) -> None:
    data = bytearray(database.read_bytes())
    data[:100] = b"x" * 100
    database.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_garble, _truncate, _clobber_header])
def test_a_damaged_chroma_sqlite_is_one_line_naming_the_path_and_the_repair(
    tmp_path: Path, make_settings, small_corpus, monkeypatch, capsys, damage
) -> None:
    from chromadb.api.client import SharedSystemClient

    import rongzhi
    from core.settings import get_settings

    data_dir = tmp_path / "data"
    corpus = small_corpus(tmp_path)
    run_ingest(make_settings(data_dir, storage={"corpus_dir": corpus}))
    database = data_dir / "chroma" / "chroma.sqlite3"
    damage(database)
    monkeypatch.setenv("RONGZHI_STORAGE__DATA_DIR", str(data_dir))
    monkeypatch.setenv("RONGZHI_STORAGE__CORPUS_DIR", str(corpus))
    get_settings.cache_clear()
    try:
        capsys.readouterr()
        assert rongzhi.main(["sources"]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1, err  # never a Rust panic's 49 lines
        assert str(database) in err[0] and "rongzhi ingest" in err[0] and str(data_dir / "chroma") in err[0]
        # the way out works: delete the store, ingest again, and the index serves
        shutil.rmtree(data_dir / "chroma")
        SharedSystemClient.clear_system_cache()  # a new process would not reuse this one's open store
        assert rongzhi.main(["ingest"]) == 0
        assert rongzhi.main(["sources"]) == 0
    finally:
        get_settings.cache_clear()
