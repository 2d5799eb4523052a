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
