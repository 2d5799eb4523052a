"""A Conversation owns its turns and reads EVAL_SCHEMA histories back exactly."""

from assistant.answer import Answer
from assistant.conversation import Conversation

HISTORY = [
    {"role": "user", "content": "补贴有哪几类？"},
    {"role": "assistant", "content": "1. 设备补贴[1]\n2. 培训补贴[2]"},
]


def test_messages_round_trip_an_evaluation_history() -> None:
    assert Conversation.from_messages(HISTORY).messages() == HISTORY
    assert Conversation.from_messages(None).messages() == []


def test_adding_answers_and_clearing() -> None:
    conversation = Conversation()
    conversation.add(Answer("补贴有哪几类？", "1. 设备补贴[1]", False, "extractive"))
    assert len(conversation) == 1 and conversation.last_answer is not None
    assert conversation.messages()[0] == {"role": "user", "content": "补贴有哪几类？"}
    conversation.clear()
    assert len(conversation) == 0 and conversation.last_answer is None


def test_each_conversation_has_its_own_id() -> None:
    assert Conversation().id != Conversation().id
