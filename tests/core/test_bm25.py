"""BM25 over jieba tokens: rarer terms weigh more, the filter mask holds, save/load round-trips."""

from core.bm25 import BM25Index

TEXTS = ["水库调度方案由防汛办制定。", "防汛办负责汛期值班。", "农田灌溉用水按季度结算。"]


def test_rarer_terms_weigh_more_and_the_best_match_ranks_first() -> None:
    index = BM25Index.build(["a", "b", "c"], TEXTS)
    assert index.idf("灌溉") > index.idf("防汛") > 0
    assert index.document_frequency("防汛") == 2 and index.document_frequency("不存在") == 0
    assert index.top("水库调度", 2)[0][0] == "a"


def test_allowed_mask_and_save_load(tmp_path) -> None:
    index = BM25Index.build(["a", "b", "c"], TEXTS)
    assert [cid for cid, _ in index.top("防汛办", 3, allowed=[False, True, True])] == ["b"]
    index.save(tmp_path / "x.bm25")
    assert BM25Index.load(tmp_path / "x.bm25").top("灌溉", 1) == index.top("灌溉", 1)
