"""`rongzhi ask` and `rongzhi chat`."""

from __future__ import annotations

import argparse
import json
import sys

from core.errors import InvalidQuestionError
from core.settings import BACKENDS, Settings

CHAT_BANNER = "融智问答（输入问题后回车；/clear 清空对话，/quit 退出）"
CHAT_CLEARED = "（对话已清空）"
CHAT_PROMPT = "问> "


def _assistant(settings: Settings):
    from assistant.core import Assistant

    return Assistant(settings)


def _cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.render import to_text

    assistant = _assistant(settings)
    answer = assistant.ask(args.question, sources=args.source or None, backend=args.backend)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(to_text(answer, assistant.state().papers))
    return 0


def _cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.conversation import Conversation
    from assistant.render import to_text

    assistant = _assistant(settings)
    conversation = Conversation()
    print(CHAT_BANNER)
    while True:
        try:
            question = input(CHAT_PROMPT)
        except EOFError:
            print()
            return 0
        if question.strip() in ("/quit", "/exit"):
            return 0
        if question.strip() == "/clear":
            conversation.clear()
            print(CHAT_CLEARED)
            continue
        try:
            answer = assistant.ask(question, conversation, sources=args.source or None, backend=args.backend)
        except InvalidQuestionError as exc:
            print(exc, file=sys.stderr)
            continue
        print(to_text(answer, assistant.state().papers) + "\n")
        conversation.add(answer)


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
        p.add_argument("--backend", choices=BACKENDS, help="answer backend")
        p.set_defaults(func=func)
