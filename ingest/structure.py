"""Group content lines into paragraphs, tables and headings, each with its section path and original spans."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from core.enumeration import field_label, is_table_row
from core.sentence_kinds import CITATION, IDENTIFIER, KEYWORDS, NOTE, line_kind
from core.tokenize import word_spans_break
from ingest.cleaning import Line, content_mask, split_lines

BlockKind = Literal["text", "table", "reference"]

_CN_NUM = "一二三四五六七八九十百零〇"
_MD_HEADING = re.compile(r"^(#{1,6})\s*(.+?)\s*#*$")
# (pattern, level). Numbered forms decide the level, not the number of '#': these papers mix them freely.
_NUMBERED_HEADINGS: list[tuple[re.Pattern[str], int | None]] = [
    # a part (第一部分, 第二篇) holds chapters or "一、" sections: a service guide's "第一部分 个体工商户设立登记"
    # above its "五、办理时限" says which procedure the time limit is of (trial 7)
    (re.compile(rf"^第[{_CN_NUM}\d]+(?:篇|部分)\s*\S"), 0),
    (re.compile(rf"^第[{_CN_NUM}\d]+章\s*\S"), 1),
    (re.compile(rf"^第[{_CN_NUM}\d]+节\s*\S"), 2),
    (re.compile(rf"^[{_CN_NUM}]+、\s*\S"), 1),
    (re.compile(rf"^[（(][{_CN_NUM}]+[）)]\s*\S"), 2),
    (re.compile(r"^\d{1,2}(\.\d{1,2}){0,3}\s+[^\d\s.．%％]"), None),  # level = depth of the number
]
_MINOR_HEADING = re.compile(r"^(\d{1,2}[.．、]|\d{1,2}\)、?|[（(]\d{1,2}[）)])\s*\S")
_REFERENCE_TITLE = re.compile(r"^[\[［【]?\s*(参考文献|references|bibliography)\s*[\]］】]?\s*[:：]?$", re.IGNORECASE)
_ENGLISH_TITLE = re.compile(r"^(\*\*)?(Abstract\b|[A-Z][A-Za-z ,:;'\-]{29,}$)")
_UNNUMBERED_SECTIONS = {"引言", "前言", "绪论", "结语", "结论", "结束语", "结论与展望"}
_CAPTION_OR_FORMULA = re.compile(r"^(图|表|Fig|Figure|Table)\s*\d|=")
# A figure or table caption line, Chinese or its English translation ("图1 …", "Figure 1 …", "表2 …"): it floats
# where the page had room, so it may fall inside a paragraph a page break cut ("…真正解决实" / caption / "际问题。").
# No Chinese sentence punctuation: "图1显示，……。" is a sentence about the figure, part of the text.
_CAPTION_LINE = re.compile(r"^(图|表|Fig\.?|Figure|Table)\s*\d{1,2}([-.．]\d{1,2})?(?![\d年月日])")
_MAX_CAPTION_CHARS = 200
ENGLISH_ABSTRACT_SECTION = "English abstract"
# Footnotes and the journal's date/fund notes interrupt paragraphs on the page; they stand alone.
_NOTE_LINE = re.compile(r"^(\^?[①-⑳]|[⁰¹²³⁴⁵⁶⁷⁸⁹]+\s*\S|(收稿|修改稿收到|录用|网络首发)日期|基金项目|作者简介)")
_SENTENCE_END = "。！？!?；;…”」』）)】》\"'."
_MAX_HEADING_CHARS = 40
# Government documents end a standalone heading with 。 ("一、明确定价范围和管理权限。"); a heading that short
# and with no other punctuation is a heading, a numbered paragraph that runs on ("一、…，…。") is text.
_MAX_FULL_STOP_HEADING_CHARS = 30
_ORDINAL_HEADING = re.compile(rf"^([{_CN_NUM}]+、|[（(][{_CN_NUM}]+[）)]|第[{_CN_NUM}\d]+[章节])")
_DOCUMENT_NUMBER = re.compile(r"[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号")  # 文号 "发改价格〔2025〕65号": content
_DOCUMENT_NUMBER_LINE = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[［]\d{4}[〕\]］]\s*\d+\s*号$")
_LIST_ORDINAL = re.compile(rf"^([{_CN_NUM}]+、|[（(][{_CN_NUM}]+[）)])")
# An article of a law or regulation ("第十二条　…"): a natural unit whose number stays with its text.
ARTICLE_START = re.compile(rf"^第[{_CN_NUM}\d]+条(?=[\s　]|$)")
_BARE_ARTICLE = re.compile(rf"^第[{_CN_NUM}\d]+条$")


@dataclass
class Block:
    """A paragraph, table or reference entry that maps its text back to the original document.

    ``segments`` holds (offset in ``text``, start in original, end in original) for every original line the
    block was built from: a paragraph rejoined across a page break has two, a table one per row.
    """

    kind: BlockKind
    text: str
    segments: list[tuple[int, int, int]]
    section: tuple[str, ...]
    region: int = 0  # bumps wherever removed text (a TOC, a form, the title) lies between blocks

    @property
    def start(self) -> int:
        return self.segments[0][1]

    @property
    def end(self) -> int:
        return self.segments[-1][2]

    def append_line(self, line: Line, joiner: str) -> None:
        self.text += joiner
        self.segments.append((len(self.text), line.start, line.end))
        self.text += line.text

    def to_original(self, offset: int, *, is_end: bool = False) -> int:
        """Map an offset in ``text`` to the original document (ends map into the segment they close)."""
        for index, (text_start, orig_start, orig_end) in enumerate(self.segments):
            text_end = text_start + (orig_end - orig_start)
            next_start = self.segments[index + 1][0] if index + 1 < len(self.segments) else len(self.text) + 1
            if is_end and text_start < offset <= max(text_end, next_start - 1):
                return min(orig_start + offset - text_start, orig_end)
            if not is_end and text_start <= offset < next_start:
                return min(orig_start + offset - text_start, orig_end)
        return self.end if is_end else self.start

    @classmethod
    def from_lines(cls, kind: BlockKind, lines: list[Line], section: tuple[str, ...], region: int = 0) -> Block:
        block = cls(kind, lines[0].text, [(0, lines[0].start, lines[0].end)], section, region)
        for line in lines[1:]:
            block.append_line(line, "\n")
        return block


@dataclass
class Document:
    title: str
    blocks: list[Block]


def heading_level(text: str, markdown_headings: bool = True) -> tuple[int, str] | None:
    """(level, heading text) when the line is a heading, else None. Without ``markdown_headings`` (a PDF) a line
    starting with '#' is text: "#!/bin/bash" or a shell comment in a listing."""
    markdown = _MD_HEADING.match(text) if markdown_headings else None
    body = markdown.group(2).strip() if markdown else text
    if "\t" in body or _CAPTION_OR_FORMULA.search(body):
        return None
    if len(body) > (160 if markdown else _MAX_HEADING_CHARS + 20):
        return None
    for pattern, level in _NUMBERED_HEADINGS:
        if pattern.match(body):
            if body[-1] == "。" and _is_full_stop_heading(body):
                pass
            elif body[-1] in "。；;，," or (not markdown and len(body) > _MAX_HEADING_CHARS):
                return None
            if level is None:
                number = body.split()[0]
                level = number.count(".") + 1
            return level, body
    if markdown:
        return 1, body
    if _REFERENCE_TITLE.match(body) or body in _UNNUMBERED_SECTIONS:
        return 1, body
    if _MINOR_HEADING.match(body) and len(body) <= 24 and not re.search(r"[。；;，,：:]", body):
        return (3 if re.match(r"^\d{1,2}[.．、]", body) else 4), body
    return None


def _is_full_stop_heading(body: str) -> bool:
    """ "一、明确定价范围和管理权限。": an ordinal, a short phrase, one full stop and no other punctuation."""
    return (
        bool(_ORDINAL_HEADING.match(body))
        and len(body) <= _MAX_FULL_STOP_HEADING_CHARS
        and not re.search(r"[，,。；;：:！？]", body[:-1])
    )


def _is_reference_heading(title: str) -> bool:
    return bool(_REFERENCE_TITLE.match(re.sub(r"^[\d.\s]+", "", title)))


def _paragraphs(lines: list[Line | None], mask: list[bool]) -> list[tuple[bool, list[Line]]]:
    """Runs of consecutive content lines, each flagged when removed lines precede it."""
    runs: list[tuple[bool, list[Line]]] = []
    current: list[Line] = []
    gap = False
    for line, keep in zip(lines, mask, strict=True):
        if keep and line is not None:
            current.append(line)
            continue
        if current:
            runs.append((gap, current))
            current, gap = [], False
        if line is not None:
            gap = True
    if current:
        runs.append((gap, current))
    return runs


def _ends_mid_sentence(text: str) -> bool:
    return bool(text) and text[-1] not in _SENTENCE_END and text[-1] not in "：:" and len(text) >= 20


def styled_heading(text: str) -> tuple[int, str] | None:
    """A heading marked by its style (a Word heading turned into a "#" line by the reader): the style decides,
    not the punctuation, so "一、明确定价范围和管理权限。" is a heading."""
    markdown = _MD_HEADING.match(text)
    if markdown is None or len(markdown.group(2)) > 160:
        return None
    return len(markdown.group(1)), markdown.group(2).strip()


def parse_document(
    text: str, markdown_headings: bool = True, styled_headings: bool = False, known_title: str = ""
) -> Document:
    """Blocks with section paths. ``styled_headings``: the headings are the "#" lines the reader wrote from
    Word styles; no other line is a heading and the title is the reader's (metadata), not the first heading.
    ``known_title``: the title the reader found (Word/PDF metadata); a leading line repeating it is dropped."""
    lines = split_lines(text)
    mask = content_mask(lines)
    title = ""
    section: list[tuple[int, str]] = []
    in_references = False
    blocks: list[Block] = []
    previous_was_heading = True
    region = 0
    previous_text = ""  # the last content line, heading or not
    has_articles = False  # 第X条 seen: from then on 一、/（一） are items of an article, not headings
    interrupted: Block | None = None  # a paragraph a floating caption interrupted mid-sentence: it goes on after
    bare_article: Line | None = None  # a "第十二条" line waiting for its text

    paragraphs = _paragraphs(lines, mask)
    # the content line after each (by its start): a section heading between articles is read by what follows it
    content = [line for _, run in paragraphs for line in run]
    following = {line.start: after.text for line, after in zip(content, content[1:], strict=False)}
    for gap, run in paragraphs:
        if gap:
            region += 1
            previous_was_heading = True
        if len(run) > 1 and sum("\t" in line.text for line in run) >= 2:
            blocks.append(Block.from_lines("table", run, tuple(t for _, t in section), region))
            previous_was_heading = False
            continue
        for line in run:
            heading = styled_heading(line.text) if styled_headings else heading_level(line.text, markdown_headings)
            if (
                heading is not None
                and not styled_headings
                and _is_list_item(line.text, previous_text, has_articles)
                and not _heads_articles(line.text, following.get(line.start, ""))
            ):
                heading = None
            previous_text = line.text
            if ARTICLE_START.match(line.text):
                has_articles = True
                if _BARE_ARTICLE.match(line.text):
                    bare_article = line
                    continue
            if bare_article is not None:
                if heading is None:
                    # keep the article number with its first sentence ("第十二条" on a line of its own)
                    block = Block.from_lines("text", [bare_article], tuple(t for _, t in section), region)
                    block.append_line(line, "\u3000")
                    blocks.append(block)
                    bare_article, previous_was_heading = None, False
                    continue
                blocks.append(Block.from_lines("text", [bare_article], tuple(t for _, t in section), region))
                bare_article = None
            if heading is not None:
                level, heading_text = heading
                heading_text = heading_text.removesuffix("。")  # "一、明确定价范围和管理权限。" in a section path
                if (
                    not styled_headings
                    and not title
                    and not section
                    and len(blocks) < 15
                    and line.text.startswith("# ")
                ):
                    title = heading_text  # the paper title, not a section
                    region += 1
                    continue
                while section and section[-1][0] >= level:
                    section.pop()
                section.append((level, heading_text))
                if level <= 1:
                    in_references = _is_reference_heading(heading_text)
                previous_was_heading = True
                continue
            if in_references and _starts_english_abstract(line.text):
                # Journals print the English title and abstract after the reference list.
                in_references = False
                section = [(1, ENGLISH_ABSTRACT_SECTION)] if _mostly_ascii(line.text) else []
            kind: BlockKind = "reference" if in_references else "text"
            path = tuple(t for _, t in section)
            if kind == "text" and is_caption_line(line.text):
                # a caption is its own block and never half of a paragraph; the paragraph it interrupted stays
                # open for the line after it (and after the caption's English translation)
                if interrupted is None and blocks and blocks[-1].kind == "text" and _ends_mid_sentence(blocks[-1].text):
                    interrupted = blocks[-1]
                blocks.append(Block.from_lines(kind, [line], path, region))
                previous_was_heading = False
                continue
            last = interrupted or (blocks[-1] if blocks else None)
            interrupted = None
            if (
                not previous_was_heading
                and last is not None
                and last.kind == "text"
                and kind == "text"
                and last.section == path
                and last.region == region
                and _ends_mid_sentence(last.text)
                and not _NOTE_LINE.match(last.text)
                and not _NOTE_LINE.match(line.text)
                # a keyword, identifier or citation line is a line of its own, never half of a paragraph
                and not _standalone_line(last.text)
                and not _standalone_line(line.text)
                # prose, not a title or author line; or a word cut in two by the page break ("鼓励龙 / 头企业")
                and (re.search(r"[，。；、,]", last.text) or word_spans_break(last.text, line.text))
                # a numbered item or article opens a paragraph of its own: the line before it ended without a stop
                # ("责任单位：甲局、乙局" / "（三）加强巡查。") but was no paragraph broken in two
                and not _LIST_ORDINAL.match(line.text)
                and not ARTICLE_START.match(line.text)
                # so does a field line ("完成时限：2025年6月30日前" under "配合单位：甲局，乙镇"): a work plan gives
                # each item's fields one per line (trial 4 read "…乙镇人民政府完成时限：…" as one field)
                and (field_label(line.text) is None or word_spans_break(last.text, line.text))
                # a table's rows (trial 7: "…｜二级残疾人｜80" rows were joined into one line of run-on cells)
                and not is_table_row(last.text)
                and not is_table_row(line.text)
                and last.end < line.start
            ):
                # A page break split this paragraph ("可推\n\n动传统产业"): rejoin it.
                last.append_line(line, " " if last.text[-1].isascii() and line.text[0].isascii() else "")
            else:
                blocks.append(Block.from_lines(kind, [line], path, region))
            previous_was_heading = False
        # Lines inside one run are one paragraph only when they are not separate entries.
    if bare_article is not None:
        blocks.append(Block.from_lines("text", [bare_article], tuple(t for _, t in section), region))
    if known_title:
        squashed = "".join(known_title.split())
        if blocks and not blocks[0].section and "".join(blocks[0].text.split()) == squashed:
            blocks = blocks[1:]
        title = known_title
    elif not title:
        title, blocks = _leading_title(blocks)
    if title and blocks and not blocks[0].section and _DOCUMENT_NUMBER_LINE.match(blocks[0].text):
        number = blocks[0].text
        if number not in title:
            title = f"{title}（{number}）"  # how officials cite it; the 文号 line stays content too
    return Document(title=title, blocks=blocks)


def is_caption_line(text: str) -> bool:
    """A figure or table caption line by its form (see ``_CAPTION_LINE``)."""
    return bool(_CAPTION_LINE.match(text)) and len(text) <= _MAX_CAPTION_CHARS and not re.search(r"[。；，！？]", text)


def _standalone_line(text: str) -> bool:
    """A keyword, identifier, citation or note line ("关键词：…", "DOI …"): a line of its own by its form. English or
    address lines are not among them: a PDF breaks English paragraphs over pages like any other."""
    return line_kind(text, chinese_document=False) in (KEYWORDS, IDENTIFIER, CITATION, NOTE)


def _heads_articles(text: str, after: str) -> bool:
    """ "三、强化融资支持" between 第八条 and 第九条: a short line without a stop right before an article is the
    heading of the articles after it, not an item of the one before (a city's 若干措施 groups its articles so;
    trial 7 read it as an item and lost the group from the articles' section paths). Items inside an article end
    with a stop or semicolon."""
    return bool(ARTICLE_START.match(after)) and len(text) <= _MAX_HEADING_CHARS and text[-1] not in _SENTENCE_END


def _is_list_item(text: str, previous: str, has_articles: bool) -> bool:
    """ "（七）法律、行政法规规定的其他情形。" closing an enumeration ("…：" / "…；" before it), or any 一、/（一）
    item inside the articles of a law, is an item, not a heading."""
    if not _LIST_ORDINAL.match(text):
        return False
    return has_articles or (text.endswith("。") and previous[-1:] in ("：", ":", "；", ";"))


def _starts_english_abstract(text: str) -> bool:
    return bool(_ENGLISH_TITLE.match(text)) and not re.search(r"\d", text)


def _mostly_ascii(text: str) -> bool:
    return sum(ch.isascii() for ch in text) >= 0.8 * len(text)


def _title_like(text: str) -> bool:
    return (
        4 <= len(text) <= 60
        and "\n" not in text
        and not re.search(r"[。；;，,：:]", text)
        and not _CAPTION_OR_FORMULA.search(text)
        and not _DOCUMENT_NUMBER.search(text)
        and heading_level(text, markdown_headings=False) is None
    )


# The kinds of document the rules on official documents name (党政机关公文处理工作条例 art. 8), the rule-making
# kinds, and the manuals and guides offices publish beside them.
_DOCUMENT_KINDS = (
    "决议|决定|命令|令|公报|公告|通告|意见|通知|通报|报告|请示|批复|议案|函|纪要"
    "|办法|规定|细则|方案|规划|计划|要点|条例|手册|指南"
)
# The matter-and-kind part of an official document's title ("关于开展…的通知").
_OFFICIAL_TITLE = re.compile(rf"^关于\S+的({_DOCUMENT_KINDS})(（[^（）]*）)?$")
# A title's last line naming only the kind ("常务会议纪要", "操作手册" under the issuer's or the system's name): at
# most a few words before the kind, so a subtitle or a sentence is not one.
_KIND_LINE = re.compile(rf"^\S{{0,8}}({_DOCUMENT_KINDS})$")
# The masthead (版头) of an issued document, "某县人民政府文件" or "某市人民政府令", with its number on the line
# below ("某政发〔2024〕6号", "第127号"): it names the issuer and the series, the title comes after them.
_MASTHEAD = re.compile(r"^[\u4e00-\u9fff]{2,30}(文件|令)$")
_ISSUE_NUMBER_LINE = re.compile(r"^(?:[\u4e00-\u9fff]{1,12}[〔\[［]\d{4}[〕\]］]|第)\s*\d+\s*号$")
_BOOK_TITLE = re.compile(r"《([^《》]{4,60})》")
_ISSUED_TITLE = re.compile(rf"关于\S+的({_DOCUMENT_KINDS})$")
# A joint masthead names at most this many issuers, one per line, each a body's name (its characters may be set
# apart by spaces for width: "青 溪 县 财 政 局"), ending in a body's suffix.
_MAX_ISSUERS = 4
_ISSUER_LINE = re.compile(r"^[\u4e00-\u9fff ]{2,30}(局|委|委员会|办|办公室|厅|部|院|政府|中心|文件)$")


def _leading_title(blocks: list[Block]) -> tuple[str, list[Block]]:
    """The title from the first prominent line of a document without a marked one: among the short lines that open
    the document (before any heading), the first Chinese one, so a Chinese title wins over an English line above
    it. The title is metadata: it and the English lines before it are taken out of the blocks (never a chunk)."""
    if masthead := _masthead_title(blocks):
        return masthead
    leading: list[int] = []
    for index, block in enumerate(blocks[:3]):
        if block.kind != "text" or block.section or not _title_like(block.text):
            break
        leading.append(index)
    chosen = next((i for i in leading if _has_cjk(blocks[i].text)), leading[0] if leading else None)
    if chosen is None:
        return _fallback_title(blocks), blocks
    # an official document's title reads "[issuer]关于[matter]的[kind]"; set on two lines, the issuer's line
    # comes first and alone it names an office, not the document
    following = chosen + 1
    if following in leading and _continues_title(blocks[chosen].text, blocks[following].text):
        return blocks[chosen].text + blocks[following].text, blocks[following + 1 :]
    return blocks[chosen].text, blocks[chosen + 1 :]


def _continues_title(first: str, second: str) -> bool:
    """The line below the first is the rest of one title set on two lines: "关于…的通知" below its issuer, or the kind
    alone ("常务会议纪要") below the name of what it is about. A kind line under a line already ending in a kind is a
    second title, and "关于…" under a journal's name ("某某学报") is a paper's title, not an issuer's."""
    if _OFFICIAL_TITLE.match(second):
        return "关于" not in first
    return bool(_KIND_LINE.match(second)) and not re.search(f"({_DOCUMENT_KINDS})$", first)


def _masthead_title(blocks: list[Block]) -> tuple[str, list[Block]] | None:
    """An issued document opening with its masthead and number (trials 7 and 8: "岚溪市人民政府文件 / 岚政发〔2024〕6号
    / 岚溪市人民政府 / 关于印发…的通知", "岘阳市人民政府令 / 第127号 / 《岘阳市养犬管理办法》已经…通过，现予公布"): the
    title is what follows, cited with the number as officials cite it; an order's title is the rule it promulgates.
    The masthead is metadata; the number line stays content (it answers "文号是多少"). None without a masthead."""
    at = next((i for i, b in enumerate(blocks[: _MAX_ISSUERS + 1]) if _ISSUE_NUMBER_LINE.match(b.text)), None)
    if at is None or at == 0 or len(blocks) < at + 2 or any(b.kind != "text" or b.section for b in blocks[: at + 1]):
        return None
    masthead, number = blocks[at - 1].text, blocks[at].text
    # a joint document's masthead is its issuers, one per line ("某县医疗保障局 / 某 县 财 政 局 / …税务局"): the
    # lines above the number are bodies' names, with no sentence among them
    classic = at == 1 and _MASTHEAD.match(masthead) is not None
    joint = not classic and all(_ISSUER_LINE.match(b.text) for b in blocks[:at])
    if not classic and not joint:
        return None
    following = blocks[at + 1 :]
    if number.startswith("第"):  # an order's number only means something after its series: "某市人民政府令第127号"
        promulgated = _BOOK_TITLE.search(following[0].text)
        if promulgated is None or joint:
            return None
        return f"{promulgated.group(1)}（{masthead}{number}）", blocks[at:]
    title, rest = _leading_title(following)
    # without the word 文件 the lines above are an issuer's only when an issued title follows ("…关于…的通知")
    if not title or (joint and not _ISSUED_TITLE.search(title)):
        return None
    return f"{title}（{number}）", [blocks[at], *rest]


def _has_cjk(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def _fallback_title(blocks: list[Block]) -> str:
    for block in blocks:
        candidate = block.text.strip("# ").strip()
        if (
            4 <= len(candidate) <= 60
            and not re.search(r"[。；]", candidate)
            and not _CAPTION_OR_FORMULA.search(candidate)
        ):
            return candidate
    return ""
