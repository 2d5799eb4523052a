"""The refusal gate: decide, before any generation, whether the retrieved evidence can answer the question."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from assistant.answer import Passage, kind_spans
from assistant.question import A_NOT_A, QUESTION_WORD, QuestionProfile, question_content
from assistant.slots import (
    CLAUSE_END,
    OWNER_TAGS,
    YEAR_NUMBER,
    Slot,
    asked_terms,
    find_slot,
    is_place_name,
    joined_place_names,
    measured_nouns,
    slot_filled,
    term_share,
)
from core.schema import Chunk
from core.settings import Settings
from core.tokenize import contains_term, dictionary_tag, in_dictionary, tokenize, word_frequency

# Part-of-speech tags of jieba for names: places (ns), people (nr), organisations (nt). A name the documents never
# mention cannot be what they are about ("雄安新区2024年…" over papers on other regions). Tuning split: 5 of 39
# unanswerable questions caught, 0 of 127 answerable ones refused. Other nouns (nz, n) are left to the coverage
# check: the abbreviated name of a law is a noun the documents spell out in full.
NAME_TAGS = ("ns", "nr", "nt")
_LATIN_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z][A-Za-z0-9]+")
# A numbered part of a document ("第九条", "第三章", "第3节"): if the document has none, it is not there.
_PART = re.compile(r"第([一二三四五六七八九十百千零〇两\d]+)([条章节款])")
# A part as a document states it, not as a cross-reference ("依照本法第二十七条"): at the start of a line or a
# section path, followed by a space (the law texts here write "第四十五条　开展……", "第三章 授权程序").
_PART_HEADING = re.compile(r"(?:^|\n)\s*第([一二三四五六七八九十百千零〇两\d]+)([条章节款])(?=[\s　])")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_MAGNITUDES = {"十": 10, "百": 100, "千": 1000}
# A document another one cites by name: "依照《中华人民共和国某某法》…". Titles up to 40 characters (the longest
# indexed title here is 38); longer marked spans are quotations, not names.
_CITED_TITLE = re.compile(r"《([^《》\n]{2,40})》")
MAX_NAMED_MISSING = 3  # a refusal names at most this many missing terms: the most specific ones
Part = tuple[int, str]  # (number, unit): 第六十条 → (60, "条")


@dataclass(frozen=True)
class GateDecision:
    answerable: bool
    best_dense: float
    coverage: float  # share of the question's key terms found in the top passages
    reason: str
    # what the question asks about that no document (or, without a corpus, the evidence) has
    missing: tuple[str, ...] = ()
    slot: Slot | None = None  # the asked-for figure, date or person no passage states
    absent_parts: tuple[tuple[str, str], ...] = ()  # (document title, "第六十条"): a named document lacks the part
    # (cited title, "第二十一条"): the question asks for a part of a document the collection only cites
    uncollected_parts: tuple[tuple[str, str], ...] = ()
    # what the question asks about that the corpus has but the passages found lack: "资料中未提及" would be untrue
    unretrieved: tuple[str, ...] = ()


def part_number(numeral: str) -> int | None:
    """60 for "六十" or "60", 105 for "一百零五"; None for what is no number."""
    if numeral.isdigit():
        return int(numeral)
    total, digit = 0, None
    for char in numeral:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _MAGNITUDES:
            total += (1 if digit is None else digit) * _MAGNITUDES[char]
            digit = None
        else:
            return None
    return total + (digit or 0)


def asked_parts(question: str) -> list[tuple[str, Part]]:
    """The numbered parts a question asks for, as written and as (number, unit)."""
    out = []
    for match in _PART.finditer(question):
        number = part_number(match.group(1))
        if number is not None:
            out.append((match.group(0), (number, match.group(2))))
    return out


def stated_parts(texts: Iterable[str]) -> frozenset[Part]:
    """The numbered parts that texts (a document's section paths and passages) state as headings."""
    found = set()
    for text in texts:
        for match in _PART_HEADING.finditer(text):
            number = part_number(match.group(1))
            if number is not None:
                found.add((number, match.group(2)))
    return frozenset(found)


def part_headings(text: str) -> list[tuple[Part, int]]:
    """The numbered parts a text states as headings, with where each heading starts."""
    out = []
    for match in _PART_HEADING.finditer(text):
        number = part_number(match.group(1))
        if number is not None:
            out.append(((number, match.group(2)), match.start(1) - 1))
    return out


def parts_by_source(chunks: Iterable[Chunk]) -> dict[str, frozenset[Part]]:
    """Every document's numbered parts, from its section paths and passages."""
    texts: dict[str, list[str]] = {}
    for chunk in chunks:
        texts.setdefault(chunk.source, []).extend((chunk.section, chunk.text))
    return {source: stated_parts(t) for source, t in texts.items()}


def cited_only_titles(chunks: Iterable[Chunk], own_titles: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Documents the collection cites in 《》 but does not hold: cited title → the ways it is said (in full, without
    its issuer: core.papers.title_forms). A title that is a form of an indexed document's title is one held."""
    from core.papers import title_forms

    held = {form for title in own_titles for form in title_forms(title)}
    cited = {m.group(1).strip() for chunk in chunks for m in _CITED_TITLE.finditer(chunk.text)}
    out = {}
    for title in sorted(cited):
        forms = tuple(title_forms(title))
        if forms and not held.intersection(forms) and not any(title in h for h in held):
            out[title] = forms
    return out


def uncollected_parts(question: str, cited_only: Mapping[str, tuple[str, ...]]) -> tuple[tuple[str, str], ...]:
    """(cited title, part) when the question asks about a document the collection only cites, for a numbered
    part ("某某法第二十一条" is not answered by the 第二十一条 of another law that mentions it) or with part "" for
    anything else it says (its duties, its scope: only its text would tell)."""
    parts = [label for label, _ in asked_parts(question)]
    if parts:
        named = [title for title, forms in cited_only.items() if any(form in question for form in forms)]
    else:
        named = [title for title, forms in cited_only.items() if any(_names_alone(form, question) for form in forms)]
    return tuple((title, label) for title in named[:1] for label in parts or [""])


# The endings of a document's name by its type (某某法, 某某条例, 某某办法): a question about what such a document
# says names it this way; a cited title without one ("中国创新生态系统") is also an ordinary phrase.
_DOCUMENT_TYPE = re.compile(r"(法|条例|办法|规定|细则|通知|意见|决定|规划|纲要|方案|标准|规范|指南)$")


def _names_alone(form: str, question: str) -> bool:
    """Whether the question names a document by ``form`` on its own: a form ending in a document type, not the
    tail of a longer name the question writes ("海洋数据条例" is not "数据条例")."""
    from core.tokenize import pos_tags

    if not _DOCUMENT_TYPE.search(form):
        return False
    at = question.find(form)
    if at < 0:
        return False
    before = pos_tags(question[:at])
    return not before or not (before[-1][1].startswith("n") or before[-1][1] in ("j", "vn"))


def names_and_years(question: str) -> list[str]:
    """Place, person and organisation names, words in Latin letters (products, formats, standards: a document
    about them spells them the same way) and years in a question: the specific things it is about."""
    from core.tokenize import pos_tags

    question = question_content(question)  # markup pasted into a question ("<img …>") names nothing
    tagged = joined_place_names(pos_tags(question))
    names = [
        w
        for at, (w, tag) in enumerate(tagged)
        if tag in NAME_TAGS
        and len(w) >= 2
        and not QUESTION_WORD.search(w)
        and not _counted(tagged[at - 1 : at])
        and not _cut_across(tagged, at)
    ]
    return list(dict.fromkeys([*names, *_LATIN_WORD.findall(question), *YEAR_NUMBER.findall(question)]))


def _cut_across(tagged: list[tuple[str, str]], at: int) -> bool:
    """A two-character name jieba's HMM made of the end of one word and the next word ("收医保费从啥时候" → 医保 /
    费从, tagged a person): its first character completes a dictionary word with the word before it (保费) and its
    second is a word of its own (从). A name after a word ("联系人赵强") makes no such word (人赵). Trial 11's
    question was refused naming 费从 as missing."""
    word = tagged[at][0]
    if len(word) != 2 or at == 0 or in_dictionary(word) or not tagged[at - 1][0]:
        return False
    return in_dictionary(tagged[at - 1][0][-1] + word[0]) and in_dictionary(word[1])


# Before a noun, words that count or pick among things of a kind ("哪些城市", "什么英雄", a classifier): no one
# place, person or body is spoken of so, so a common noun jieba's dictionary tags as a place (城市, 海洋, 哥哥) is
# no name there. Trial 6: a question asking which things a canteen may not make was refused naming such a noun.
_INDEFINITE = frozenset(("哪些", "什么", "啥", "一些", "这些", "那些", "些"))


def _counted(before: list[tuple[str, str]]) -> bool:
    return bool(before) and (before[0][1] == "q" or before[0][0] in _INDEFINITE)


def subject_term(
    question: QuestionProfile,
    slot: Slot,
    context: str,
    idf: Callable[[str], float] | None,
    mentions: Callable[[str], bool] | None = None,
) -> dict[str, float] | None:
    """The content words of what a figure question measures, with their idf, besides the measure itself and the
    places, bodies, years and documents it names: 钠电, 产业园 in "甲市钠电产业园去年产值有多少" (a passage's
    "新增产值3亿元" of a gas plant is not its figure). None without term statistics or for other slots."""
    if idf is None or slot.kind != "quantity":
        return None
    owners = {o.lower() for o in owners_and_years(question.text)}
    candidates = [
        term
        for term in measured_nouns(question.text)
        if term not in slot.focus
        and term not in owners
        and term not in context.lower()
        and (mentions is None or mentions(term))  # a word no document has is the coverage check's to weigh
    ]
    return {term: idf(term) for term in candidates} or None


def owners_and_years(question: str) -> list[str]:
    """The places, organisations and years a question is about: whose figure it asks for (slots.OWNER_TAGS)."""
    from core.tokenize import pos_tags, tokenize

    names = [word for word, tag in joined_place_names(pos_tags(question)) if tag in OWNER_TAGS and len(word) >= 2]
    # an invented or small place jieba does not tag ("石桥镇" cut as 石桥/镇) is still named by its level
    places = [w for w in tokenize(question) if len(w) >= 3 and is_place_name(w) and not any(w in n for n in names)]
    return list(dict.fromkeys([*names, *places, *YEAR_NUMBER.findall(question)]))


# How an office, bureau or company is named (县交通运输局, 防火指挥部, 甲供电公司): a body the documents never
# name, like a place, is not what they are about ("县交通运输局负责什么" over a notice that never names it). Not the
# generic words of bodies (部门, 单位, 机构) nor the one-character ones that end ordinary nouns (干部, 内部, 研究所).
_BODY_NAME_END = re.compile(r"(?:局|委员会|办公室|领导小组|厅|指挥部)$")
# A question may shorten a body's name ("自规局" for 自然资源和规划局): its characters in order, up to this many
# others between each two (tokenize.contains_term). The common shortening of 人力资源和社会保障局 needs 4.
BODY_ABBREVIATION_GAP = 6


def as_department(body: str) -> str:
    """A bureau's name as a regulation says it: "市场监管局" → "市场监管部门", found in "市场监督管理部门" (a rule
    names the competent department, not the local bureau an official calls it)."""
    return _BODY_NAME_END.sub("部门", body)


def named_bodies(question: str) -> list[str]:
    """The bodies a question names: a run of nouns (jieba cuts an invented body's name apart: 交通运输 / 局) ending
    in a body's suffix, three characters or longer, without the place in front of it (县, 甲市)."""
    from core.tokenize import pos_tags

    bodies, run = [], []
    for word, tag in pos_tags(question_content(question)):
        nounish = tag.startswith("n") or tag in ("j", "vn")
        if not nounish or tag == "ns" or is_place_name(word):
            run = []
            continue
        run.append(word)
        name = "".join(run)
        if _BODY_NAME_END.search(name) and len(name) >= 3:
            bodies.append(name)
            run = []
    return bodies


def made_up(word: str, known: Callable[[str], bool]) -> bool:
    """A word jieba's HMM made from characters its dictionary does not join that ``known`` (the documents) does not
    have either: a mis-cut that glues a verb to the character before it ("牵绳罚多少" → 绳罚, "用火罚多少钱" →
    火罚), no term a passage could hold or a refusal should name."""
    return not in_dictionary(word) and not known(word)


def known_piece(word: str, known: Callable[[str], bool], everyday: int = 0) -> str:
    """``word``, or when no document uses it, its longest piece (jieba's search-mode words) that one does and that
    is no everyday word (``everyday_word`` at ``everyday``, 0: any piece): "五保户" is said as 五保 (in "五保供养
    对象"), its 户 only says a household of it (a trial 11 table said so); 使用 of "使用费" would stand for any use."""
    if known(word):
        return word
    pieces = [
        p
        for p in tokenize(word)
        if p != word and len(p) >= 2 and known(p) and not (everyday and everyday_word(p, everyday))
    ]
    return max(pieces, key=len) if pieces else word  # the first of the longest: 五保 of 五保户, not 保户


def absent_from_corpus(question: str, mentions: Callable[[str], bool], with_parts: bool = True) -> list[str]:
    """The names and years of the question that no document mentions at all, and (``with_parts``) the numbered
    parts (第X条) whose wording no document has; ``absent_parts`` checks parts by number, per document."""
    parts = [label for label, _ in asked_parts(question)] if with_parts else []
    asked = names_and_years(question)
    names = [term for term in asked if not _mentioned_without_edge(term, mentions)]
    # the first part of a place name jieba cut in two ("比临" of 比临 / 沅区, joined as 比临沅区) is no name of its
    # own when the whole is mentioned
    found = [term for term in asked if term not in names or mentions(term)]
    names = [term for term in names if not any(term != whole and term in whole for whole in found)]
    # a document the question names by its title in 《》 is as specific as a place: the collection holds it or
    # cites it under that name, else it is not in the collection
    titles = [f"《{title}》" for title in _CITED_TITLE.findall(question) if not mentions(title)]
    return [term for term in [*names, *parts] if not mentions(term)] + titles


def _mentioned_without_edge(name: str, mentions: Callable[[str], bool]) -> bool:
    """Whether a "name" is a mentioned word with a function word of the question glued to it: jieba's HMM joins an
    unknown name to its neighbour ("和东岭" of "西坡和东岭", "段日子" of "那段日子"), and such a join is no name no
    document mentions."""
    from core.tokenize import pos_tags

    for edge, rest in ((name[0], name[1:]), (name[-1], name[:-1])):
        tags = pos_tags(edge)
        if len(rest) >= 2 and tags and tags[0][1] in _GLUE_TAGS and mentions(rest):
            return True
    # a localiser ends the noun before it ("水库中"), and the HMM joined it to the verb after it ("中捞" of
    # "水库中捞出来的杂物", read as a place's name; a colloquial tuning item was refused naming such a join)
    first = pos_tags(name[0])
    return len(name) == 2 and not in_dictionary(name) and bool(first) and first[0][1] == "f"


# Single characters that join names to their neighbours: conjunctions, prepositions, localisers, classifiers.
_GLUE_TAGS = frozenset(("c", "p", "f", "q", "m", "r", "u", "uj", "d"))


def absent_parts(question: str, documents: Mapping[str, frozenset[Part]]) -> list[tuple[str, str]]:
    """(title, part) for each numbered part the question asks for that none of ``documents`` (title → its
    parts) has. "第60条" and "第六十条" are the same part."""
    absent = []
    for label, part in asked_parts(question):
        if documents and not any(part in parts for parts in documents.values()):
            absent.extend((title, label) for title in documents)
    return absent


# A place a document's title opens with, or names after its higher level or inside 《》 ("栖梧县高频政务服务事项
# 办事指南", "岚溪市人民政府关于…", "关于印发《乙县…》的通知"): whose document it is. Read by form: jieba cuts
# invented names apart (栖 / 梧县).
_TITLE_PLACE = re.compile(r"(?:^|《|[省市])([\u4e00-\u9fff]{2,3}?[省市县区镇乡村])")


def places_elsewhere(
    question: str, passages: list[str], titles: Iterable[str], on_topic: Callable[[str, tuple[str, ...]], bool]
) -> tuple[str, ...]:
    """The places of the question (a name with its level: 甲县, 乙镇) that no passage on the rest of the question names
    while the passages' documents are titled for another place of that level: what they say is that place's. A
    place the evidence names in any form counts as named ("石桥" for 石桥镇). ``passages``: each passage's evidence
    (lowered); ``on_topic(evidence, places)``: whether it holds the question's other terms. A place named only in
    an off-topic passage (a contact table listing every county, trial 7) names no document about it."""
    owned = {m.group(1) for title in titles for m in _TITLE_PLACE.finditer(title)}
    places = tuple(dict.fromkeys(o for o in owners_and_years(question) if is_place_name(o)))
    out = []
    for place in places:
        stem = place.lower()[:-1] if len(place) > 2 else place.lower()
        named = any(stem in evidence and on_topic(evidence, places) for evidence in passages)
        if not named and any(o[-1] == place[-1] and o != place for o in owned):
            out.append(place)
    return tuple(out)


def _evidence(passages: list[Passage], context: str) -> str:
    """What the passages say, with where they say it: a passage's document title and section path are evidence
    too. A document refers to itself as 本办法 / 本法 / 本通知, so the question's "云南省…" is covered by a
    passage of 《云南省…办法》 that never repeats the province's name."""
    return ("".join(p.title + p.section + body_text(p) for p in passages if p.kind != "reference") + context).lower()


def body_text(passage: Passage) -> str:
    """A passage's text without the sentences ingest found not to be body prose (an author's unit, a citation
    line, a caption: core.sentence_kinds): "（作者单位：甲市高新区）" under a paper is no evidence that the paper
    discusses 甲市高新区."""
    text = passage.text
    for start, end in sorted(kind_spans(passage.kinds), reverse=True):
        text = text[:start] + " " + text[end:]
    return text


def missing_terms(
    question: QuestionProfile,
    passages: list[Passage],
    context: str = "",
    mentions: Callable[[str], bool] | None = None,
    max_gap: int = 0,
) -> tuple[str, ...]:
    """The question's terms the passages lack, those no document mentions at all first (they are certainly
    missing; "PM指数" before "2030年", which other passages mention), then the longest (most specific), without
    terms inside others."""
    evidence = _evidence(passages, context)
    names = [n.lower() for n in names_and_years(question.text)]
    # a term or name may be said in a longer form (tokenize.contains_term: 禁捕 in 禁止捕捞)
    absent = [n for n in dict.fromkeys(names) if not contains_term(evidence, n, max_gap)]
    # what a refusal names as missing is a thing (a noun), not how the question says it ("掏", "递上去", "碰"), nor
    # a mis-cut (``made_up``), which reads as nonsense
    absent += [
        t
        for t in question.terms
        if t not in absent
        and question.kind_of(t) == "noun"
        and not contains_term(evidence, t, max_gap)
        and (mentions is None or not made_up(t, mentions))
    ]
    nowhere = set() if mentions is None else {t for t in absent if not mentions(t)}
    absent.sort(key=lambda t: (t not in nowhere, -len(t)))
    kept: list[str] = []
    for term in absent:
        if not any(term in other for other in kept):
            kept.append(term)
    return tuple(as_written(question.text, t) for t in kept[:MAX_NAMED_MISSING])


def as_written(question: str, term: str) -> str:
    """A lower-cased term as the question writes it ("PM", not "pm")."""
    at = question.lower().find(term)
    return question[at : at + len(term)] if at >= 0 else term


def term_weight(
    question: QuestionProfile, settings: Settings | None = None, mentions: Callable[[str], bool] | None = None
) -> Callable[[str], float]:
    """How much a term of the question counts in coverage: its length (longer terms carry the specific meaning of
    a question: "芯片与科学法案" vs "发展") times the weight of its kind (settings.gate.term_weight_verb / _other);
    nothing for an everyday word no document uses (``everyday_word``)."""
    kinds = {"noun": 1.0, "verb": 1.0, "other": 1.0}
    floor = 0
    if settings is not None:
        kinds.update(verb=settings.gate.term_weight_verb, other=settings.gate.term_weight_other)
        floor = settings.gate.everyday_word_frequency

    def weight(term: str) -> float:
        if floor and mentions is not None and everyday_word(term, floor) and not mentions(term):
            return 0.0
        return len(term) * kinds[question.kind_of(term)]

    return weight


def everyday_word(term: str, floor: int) -> bool:
    """Whether ``term`` is common in general Chinese (jieba's count at least ``floor``) and no time word: "东西",
    "意思" say nothing a document must hold, "今年" says which year."""
    return word_frequency(term) >= floor and dictionary_tag(term) != "t"


def asked_predicate(question: QuestionProfile) -> tuple[str, tuple[str, ...]]:
    """What an A-not-A question asks whether, as written and as its terms ("放风筝" of "让不让放风筝"): from the
    A-not-A to the end of its clause; ("", ()) for another question."""
    match = A_NOT_A.search(question.text)  # what follows an A-not-A is what is asked about
    if not match:
        return "", ()
    end = CLAUSE_END.search(question.text, match.end())
    tail = question.text[match.end() : end.start() if end else len(question.text)].strip()
    return tail, tuple(t for t in question.terms if t in tail.lower())


def known_terms(question: QuestionProfile, in_corpus: Callable[[str], bool] | None) -> tuple[str, ...]:
    """The question's terms less the verbs and other non-nouns no document uses (all terms when nothing is left,
    or without corpus statistics). A passage cannot hold a colloquial verb no document has ("搞定" for
    完成, "掏" for 安排资金); the coverage check has already weighed it, and demanding it again next to the
    figure refuses paraphrased questions on their wording alone. An absent noun stays: the thing asked about."""
    if in_corpus is None:
        return question.terms
    kept = tuple(t for t in question.terms if in_corpus(t) or question.kind_of(t) == "noun")
    return kept or question.terms


def slot_terms(question: QuestionProfile, in_corpus: Callable[[str], bool] | None, slot: Slot) -> tuple[str, ...]:
    """The terms the passage holding a slot's filler must share with the question (``known_terms``). For a date,
    not the verbs: they name the event dated, which the dating sentence says in its own words ("自…起施行" for
    "什么时候开始执行"). Session 24: no decision changed on the three suites' tuning items, their test splits
    (aggregates) or the two blind sets; a trial official's "…从什么时候开始执行？" on a 办法 answered. The same
    for figures changed three tuning items, one each way (+1 unanswerable refused, +1 and −1 answerable): left."""
    terms = known_terms(question, in_corpus)
    if slot.kind != "when":
        return terms
    return tuple(t for t in terms if question.kind_of(t) != "verb") or terms


def term_coverage(
    question: QuestionProfile,
    passages: list[Passage],
    context: str = "",
    max_gap: int = 0,
    weight: Callable[[str], float] = len,
) -> float:
    """Weighted share (``weight``, by default the term's length) of the question's terms found in the passages (or
    in ``context``: the names and titles of the papers the question is about, which a passage rarely repeats), as
    written or, ``max_gap`` > 0, in a longer form (tokenize.contains_term)."""
    return term_share(question.terms, _evidence(passages, context), weight, max_gap)


def split_missing(decision: GateDecision, mentions: Callable[[str], bool]) -> GateDecision:
    """The decision with what is missing split into what no document says and what only the passages found lack:
    a trial official read "资料中未提及：药" over a document saying 用药."""
    said = tuple(term for term in decision.missing if mentions(term))
    return replace(decision, missing=tuple(t for t in decision.missing if t not in said), unretrieved=said)


def decide(
    question: QuestionProfile,
    passages: list[Passage],
    best_dense: float,
    settings: Settings,
    context: str = "",
    mentions: Callable[[str], bool] | None = None,
    documents: Mapping[str, frozenset[Part]] | None = None,
    corpus_parts: frozenset[Part] | None = None,
    cited_only: Mapping[str, tuple[str, ...]] | None = None,
    idf: Callable[[str], float] | None = None,
    mentions_contracted: Callable[[str, int], bool] | None = None,
) -> GateDecision:
    """``mentions(term)`` says whether any document mentions a term; without it only the evidence is checked.
    A numbered part the question asks for (第六十条) must be in one of ``documents`` (title → numbered parts: the
    documents the question names), else in ``corpus_parts`` (every document's), else ``mentions`` its wording.
    ``mentions_contracted(term, gap)`` also finds a longer form of a term: a body the question names
    (``named_bodies``) must be said by some document, if only in full where the question shortens it. Session 25:
    no decision changed on the tuning items, the test splits (aggregates) or the two blind sets; two trial
    officials' "县某某局…负责什么" over notices that never name that bureau are refused. Company names
    (…公司, …银行) are left out: "<product>公司" is how an official says 运营企业 (colloquial tuning, 2 answerable
    items refused)."""
    usable = [p for p in passages if p.kind != "reference"]
    question = question.keeping(asked_terms(question.terms, question.text))
    if mentions is not None:
        # A two-character mis-cut (``made_up``) is no term the evidence could hold; longer made-up words are more
        # often invented names (甲塘镇), left to the checks below. Session 25: no decision changed on the tuning
        # items or the test splits (aggregates); on the 3rd blind set one answerable question fewer refused.
        miscut = {t for t in question.terms if len(t) == 2 and made_up(t, mentions)}
        question = question.keeping(tuple(t for t in question.terms if t not in miscut) or question.terms)
    gap = settings.gate.contracted_term_gap
    weight = term_weight(question, settings, mentions)
    coverage = term_coverage(question, usable[:3], context, gap, weight) if usable else 0.0
    if documents and (parts := tuple(absent_parts(question.text, documents))):
        return GateDecision(False, best_dense, coverage, "a numbered part the named document lacks", absent_parts=parts)
    comparing = question.kind == "compare"  # "甲法和乙法有何不同" may be answered from what the others cite
    if not documents and not comparing and cited_only and (uncollected := uncollected_parts(question.text, cited_only)):
        return GateDecision(
            False,
            best_dense,
            coverage,
            "a document the collection only cites",
            uncollected_parts=uncollected,
        )
    if not documents and corpus_parts is not None:
        nowhere = tuple(label for label, part in asked_parts(question.text) if part not in corpus_parts)
        if nowhere:
            return GateDecision(False, best_dense, coverage, "a numbered part no document has", nowhere)
    if not usable:
        return GateDecision(
            False, best_dense, 0.0, "no passage retrieved", missing_terms(question, [], context, mentions, gap)
        )
    # a name the evidence holds in a longer form (a contraction of a phrase: jieba often reads one as a name) is there
    contracted = _evidence(usable[:5], context)
    in_corpus = (
        None
        if mentions is None
        else (lambda t: mentions(t) or t in context or contains_term(contracted, t.lower(), gap))
    )
    by_wording = not documents and corpus_parts is None  # parts not checked by number above
    absent = [] if in_corpus is None else absent_from_corpus(question.text, in_corpus, with_parts=by_wording)
    if mentions_contracted is not None and in_corpus is not None:
        absent += [
            body
            for body in named_bodies(question.text)
            if not in_corpus(body)
            and not mentions_contracted(body, BODY_ABBREVIATION_GAP)
            and not mentions_contracted(as_department(body), BODY_ABBREVIATION_GAP)
            and body not in absent
        ]
    if absent:
        # The absent names and years first, then what else the corpus or the evidence lacks ("PM指数").
        named = [*absent, *missing_terms(question, usable[:3], context, in_corpus, gap)]
        kept = [t for t in dict.fromkeys(named) if not any(t != o and t in o for o in named)]
        return GateDecision(
            False, best_dense, coverage, "a name or year no document mentions", tuple(kept[:MAX_NAMED_MISSING])
        )

    def on_topic(evidence: str, places: tuple[str, ...]) -> bool:
        rest = tuple(t for t in question.terms if not any(t in place for place in places))
        return term_share(rest, evidence, weight, gap) >= settings.gate.min_term_coverage

    evidences = [_evidence([p], context) for p in usable[:3]]
    if elsewhere := places_elsewhere(question.text, evidences, (p.title for p in usable[:3]), on_topic):
        # the documents found are another place's: "云岭县…要带哪些材料" over 栖梧县's guide, 云岭县 in a contact list
        return GateDecision(False, best_dense, coverage, "the passages are about another place", elsewhere)
    missing = missing_terms(question, usable[:3], context, in_corpus, gap)
    if best_dense < settings.gate.min_dense_similarity:
        return GateDecision(False, best_dense, coverage, "dense similarity below threshold", missing)
    if coverage < settings.gate.min_term_coverage:
        return GateDecision(False, best_dense, coverage, "key terms of the question missing from the evidence", missing)
    tail, predicate = asked_predicate(question)
    if predicate and (
        term_share(predicate, _evidence(usable[:3], context), weight, gap) < settings.gate.predicate_coverage
    ):
        # named as the question says it ("资料中未提及：放风筝"): its search-mode pieces may read as nonsense
        return GateDecision(False, best_dense, coverage, "the asked yes/no predicate is missing", (tail,))
    slot = find_slot(question.text)
    if slot is not None and in_corpus is not None:
        # a mis-cut focus word (``made_up``: "用火罚多少钱" → 火罚) is no word the figure's sentence must repeat
        focus = (f for f in slot.focus if not made_up(f, in_corpus))
        everyday = settings.gate.everyday_word_frequency
        slot = replace(slot, focus=tuple(known_piece(f, in_corpus, everyday) for f in focus))
    # Not done, measured: leaving out focus words no document uses (a colloquial noun for a formal one) answered 5
    # more answerable and 2 more unanswerable tuning items, and on four sets the code was not tuned on 5 more
    # answerable and 3 more unanswerable (no gain); it also let "甲办法何时施行？无人机巡河补贴标准是多少？"
    # through as one question, the second part's absent focus (标准) no longer demanded next to the first part's
    # figure (tests/assistant/test_core).
    if (
        slot is not None
        and not comparing
        and not slot_filled(
            slot,
            usable[:5],
            slot_terms(question, in_corpus, slot),
            settings.gate.slot_term_coverage,
            context,
            owners_and_years(question.text),
            question.text,
            subject_term(question, slot, context, idf, mentions),
            settings.gate.slot_subject_share,
            gap,
            weight,
        )
    ):
        return GateDecision(False, best_dense, coverage, f"no passage states the asked-for {slot.kind}", (), slot)
    return GateDecision(True, best_dense, coverage, "ok")
