"""`rongzhi ask` and `rongzhi chat`."""

from __future__ import annotations

import argparse
import json
import sys

from assistant.answer import Answer
from ingest.settings import Settings


def format_answer(answer: Answer) -> str:
    """The answer, then its numbered sources with title, section and the quoted span."""
    lines = []
    if answer.notice:
        lines.append(answer.notice)
    lines.append(answer.text)
    if answer.standalone_question and answer.standalone_question != answer.question:
        lines.append(f"（按“{answer.standalone_question}”检索）")
    if answer.unsupported:
        lines.append("未获引文支持的句子：" + "；".join(answer.unsupported))
    if answer.citations:
        lines.append("\n来源：")
        for c in answer.citations:
            lines.append(f"[{c.n}] 《{c.title}》 {c.section or '正文'}（{c.source}，字符 {c.char_start}-{c.char_end}）")
            lines.append(f"    “{c.text}”")
    elif answer.refused and answer.retrieved:
        from assistant.prompts import RELATED_BUT_INSUFFICIENT

        lines.append("\n" + RELATED_BUT_INSUFFICIENT)
        for p in answer.retrieved[:3]:
            lines.append(f"- 《{p.title}》 {p.section}：{p.text[:80]}…")
    return "\n".join(lines)


def _assistant(settings: Settings):
    from assistant.core import Assistant

    return Assistant(settings)


def _cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    answer = _assistant(settings).ask(args.question, sources=args.source or None, backend=args.backend)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_answer(answer))
    return 0


def _cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.core import InvalidQuestionError

    assistant = _assistant(settings)
    history: list[dict] = []
    print("融智问答（输入问题后回车；/clear 清空对话，/quit 退出）")
    while True:
        try:
            question = input("问> ")
        except EOFError:
            print()
            return 0
        if question.strip() in ("/quit", "/exit"):
            return 0
        if question.strip() == "/clear":
            history.clear()
            print("（对话已清空）")
            continue
        try:
            answer = assistant.ask(question, history=history, sources=args.source or None, backend=args.backend)
        except InvalidQuestionError as exc:
            print(exc, file=sys.stderr)
            continue
        print(format_answer(answer) + "\n")
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]


def register(sub) -> None:
    for name, func, helptext in (
        ("ask", _cmd_ask, "answer one question with cited sources"),
        ("chat", _cmd_chat, "interactive session with follow-up questions"),
    ):
        p = sub.add_parser(name, help=helptext)
        if name == "ask":
            p.add_argument("question")
            p.add_argument("--json", action="store_true", help="print the whole Answer object as JSON")
        p.add_argument("--source", action="append", metavar="FILE", help="only use these papers (repeatable)")
        p.add_argument("--backend", choices=["extractive", "openai", "llamacpp"], help="answer backend")
        p.set_defaults(func=func)
