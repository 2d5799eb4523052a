"""BM25 over jieba tokens: rarer terms weigh more, the filter mask holds, save/load round-trips through a plain
file (no pickle) whose damage is a one-line error naming the file and the repair."""

import pickle

import numpy as np
import pytest

from core.bm25 import BM25Index
from core.errors import CorruptIndexError, RongzhiError

TEXTS = ["水库调度方案由防汛办制定。", "防汛办负责汛期值班。", "农田灌溉用水按季度结算。"]


class _RunsCode:
    """A pickle that creates a file when loaded: what a crafted index in the data dir could do."""

    def __init__(self, marker) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_rarer_terms_weigh_more_and_the_best_match_ranks_first() -> None:
    index = BM25Index.build(["a", "b", "c"], TEXTS)
    assert index.idf("灌溉") > index.idf("防汛") > 0
    assert index.document_frequency("防汛") == 2 and index.document_frequency("不存在") == 0
    assert index.top("水库调度", 2)[0][0] == "a"


def test_allowed_mask_and_save_load(tmp_path) -> None:
    index = BM25Index.build(["a", "b", "c"], TEXTS)
    assert [cid for cid, _ in index.top("防汛办", 3, allowed=[False, True, True])] == ["b"]
    digest = index.save(tmp_path / "x.npz")
    loaded = BM25Index.load(tmp_path / "x.npz", digest)
    assert loaded.top("灌溉", 1) == index.top("灌溉", 1)
    assert np.allclose(loaded.scores("防汛办 水库"), index.scores("防汛办 水库"))
    # the same index always gives the same bytes, so a rebuilt file matches the checksum recorded at ingest
    assert BM25Index.build(["a", "b", "c"], TEXTS).save(tmp_path / "y.npz") == digest


def test_a_crafted_pickle_is_refused_without_running_it(tmp_path) -> None:
    path, marker = tmp_path / "x.npz", tmp_path / "pwned"
    path.write_bytes(pickle.dumps(_RunsCode(marker)))
    with pytest.raises(CorruptIndexError, match="rongzhi ingest") as caught:
        BM25Index.load(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)
    assert isinstance(caught.value, RongzhiError) and not marker.exists()


@pytest.mark.parametrize("damage", ["truncated", "flipped byte", "object array", "ids out of range"])
def test_a_damaged_file_is_a_corrupt_index_error(tmp_path, damage: str) -> None:
    path = tmp_path / "x.npz"
    digest = BM25Index.build(["a", "b", "c"], TEXTS).save(path)
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flipped byte":
        path.write_bytes(data[:100] + bytes([data[100] ^ 0xFF]) + data[101:])
    elif damage == "object array":  # numpy would unpickle an object array if allowed to
        np.savez(path.with_suffix(""), ids=np.array([_RunsCode(tmp_path / "pwned")], dtype=object))
        digest = ""
    else:
        index = BM25Index.build(["a", "b", "c"], TEXTS)
        index.postings["防汛"] = (np.array([7], dtype=np.int32), np.array([1.0], dtype=np.float32))
        index.save(path)
        digest = ""
    with pytest.raises(CorruptIndexError, match=f"{path}.*rongzhi ingest"):
        BM25Index.load(path, digest)
    assert not (tmp_path / "pwned").exists()
