"""How papers are named to people and recognised in questions."""

from core.papers import byline, label, names, papers_named, shown_title, title_forms

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


def test_a_paper_is_named_by_its_authors_unit_said_in_full_or_shortened() -> None:
    from core.papers import plain_texts

    papers = {
        "a.txt": {"title": "湿地保护的几点思考", "authors": ["甲"]},
        "b.txt": {"title": "湿地修复的实践探索", "authors": ["乙"]},
    }
    units = {"a.txt": ["青石湖区管委会"], "b.txt": ["白沙林业大学生态学院"]}
    texts = plain_texts({"a.txt": "青石湖区开展退田还湖。", "b.txt": "白沙林业大学师生参与监测。"})
    assert set(papers_named("青石湖区那篇文章提了哪些建议？", papers, texts, units=units)) == {"a.txt"}
    assert set(papers_named("白沙林业大学那篇讲了什么？", papers, texts, units=units)) == {"b.txt"}
    # a stretch of a unit another document's text uses is no name; without units nothing is named
    texts_b = plain_texts({"a.txt": "……", "b.txt": "与青石湖区管委会合作。"})
    assert papers_named("青石湖区那篇文章提了哪些建议？", papers, texts_b, units=units) == {}
    assert papers_named("青石湖区那篇文章提了哪些建议？", papers, texts) == {}


def test_one_matcher_names_titles_and_units_by_a_stretch_ending_where_a_name_part_ends() -> None:
    from core.papers import han_run_ends, named_by_stretch, title_names, word_ends

    titles = title_names(LAWS)
    accept = lambda stretch, source: True  # noqa: E731
    assert named_by_stretch("林采法怎么规定", titles, 3, accept) == {"forest.txt": "林采法"}
    assert named_by_stretch("云南办法怎么规定", titles, 3, accept) == {}  # fits two titles
    assert named_by_stretch("采砂管理怎么规定", titles, 3, accept) == {}  # ends inside the title's words
    units = {"u.txt": [("白沙林业大学生态学院", word_ends("白沙林业大学生态学院"))]}
    assert han_run_ends("林木采伐法：释义") == {4, 7}
    assert named_by_stretch("白沙林业大学那篇", units, 4, accept) == {"u.txt": "白沙林业大学"}


def test_a_title_quoting_a_title_shows_it_in_angle_brackets() -> None:
    assert shown_title("某县关于印发《某县护林办法》的通知") == "某县关于印发〈某县护林办法〉的通知"
    assert shown_title("某县护林办法") == "某县护林办法"
