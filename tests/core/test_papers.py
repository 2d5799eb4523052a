"""How papers are named to people and recognised in questions."""

from core.papers import byline, label, names, papers_named

PAPERS = {
    "a.txt": {
        "title": "河道管理办法",
        "authors": ["周七"],
        "aliases": ["水利厅那篇", "X"],
        "venue": "某刊",
        "year": 2023,
    },
    "b.txt": {"title": "林业通知"},
}


def test_byline_and_label_use_what_the_manifest_knows() -> None:
    assert byline(PAPERS["a.txt"]) == "周七 · 某刊 2023" and byline(PAPERS["b.txt"]) == ""
    assert label("a.txt", PAPERS["a.txt"]) == "《河道管理办法》（周七）" and label("b.txt", {}) == "《b.txt》"


def test_questions_naming_an_author_or_alias_find_the_paper() -> None:
    assert names(PAPERS["a.txt"]) == ["周七", "水利厅那篇"]  # a one-character alias would match anything
    assert set(papers_named("水利厅那篇说河道怎么管？", PAPERS)) == {"a.txt"}
    assert papers_named("X是什么？", PAPERS) == {}


def test_a_title_or_a_distinctive_part_of_it_names_the_paper() -> None:
    from core.papers import plain_texts, short_titles

    papers = {
        "a.txt": {"title": "河道巡查制度研究：以某市为例"},
        "b.txt": {"title": "河道巡查制度研究综述"},
        "c.txt": {"title": "堤防养护 汛前检查要点"},
    }
    texts = plain_texts({"a.txt": "各地都在做汛前检查要点的梳理。", "b.txt": "……", "c.txt": "……"})
    # "河道巡查制度研究" is in another title and "汛前检查要点" in another document's text: neither names one paper
    assert short_titles("a.txt", papers, texts) == ["河道巡查制度研究以某市为例"]
    assert short_titles("c.txt", papers, texts) == ["堤防养护汛前检查要点"]
    assert set(papers_named("河道巡查制度研究：以某市为例的作者是谁？", papers, texts)) == {"a.txt"}
    assert set(papers_named("《河道巡查制度研究：以某市为例》说了什么？", papers, texts)) == {"a.txt"}
    assert set(papers_named("《河道巡查制度研究综述》", papers, texts)) == {"b.txt"}
    assert papers_named("河道巡查制度研究有哪些？", papers, texts) == {}
    assert papers_named("《河道管理条例》是哪年印发的？", papers, texts) == {}  # another document's title
