"""How papers are named to people and recognised in questions."""

from core.papers import byline, label, names, papers_named, title_forms

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


LAWS = {
    "sand.txt": {"title": "云南省河道采砂管理办法（试行）（云政发〔2030〕9号）"},
    "forest.txt": {"title": "中华人民共和国林木采伐法"},
    "fish.txt": {"title": "云南省渔业捕捞管理办法"},
}


def test_a_title_is_named_in_full_without_its_bracketed_tail_or_without_its_issuer() -> None:
    assert title_forms(LAWS["forest.txt"]["title"])[-1] == "林木采伐法"
    assert "云南省河道采砂管理办法" in title_forms(LAWS["sand.txt"]["title"])
    assert set(papers_named("林木采伐法第六十条是怎么规定的？", LAWS)) == {"forest.txt"}
    assert set(papers_named("云南省河道采砂管理办法适用于哪里？", LAWS)) == {"sand.txt"}


def test_an_abbreviated_title_names_its_document_unless_it_fits_several_or_the_documents_use_it() -> None:
    assert set(papers_named("林采法对罚款怎么说的？", LAWS)) == {"forest.txt"}
    assert set(papers_named("云南那个采砂办法第三条说了啥？", LAWS)) == {"sand.txt"}  # filler words dropped
    assert papers_named("云南办法说了啥？", LAWS) == {}  # fits both 云南省…办法 titles
    assert papers_named("林采法对罚款怎么说的？", LAWS, mentions=lambda t: t == "林采法") == {}
