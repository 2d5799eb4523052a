"""Text addressed to the reader or a model rather than written about its subject ("instruction-like").

Shared by ingest (which lists such passages to the administrator) and the assistant (which never quotes them nor
sends them to a model): see ``looks_like_injection``.
"""

from __future__ import annotations

import re

# Fixed phrases of the first version ("忽略以上所有指令"); the form cues below catch their paraphrases.
INJECTION = re.compile(
    r"(忽略|无视|忘记|忘掉)(以上|上述|之前|此前|前面|先前)?(的)?(所有|全部|一切)?(的)?(指令|指示|提示|规则|要求|设定)"
    r"|(不要|不得|禁止|无需|不必)(给出|提供|附上|标注|引用|使用|参考)(任何)?(引用|出处|来源|资料|材料|文献)"
    r"|(系统|system)\s*(提示词|prompt)"
    r"|ignore\s+(all\s+)?(the\s+)?(previous|above|prior)\s+(instructions|prompts)"
    r"|disregard\s+(all\s+)?(previous|above|prior)",
    re.I,
)


# A document that tries to steer its reader is written *to* someone: it addresses a model or "the assistant",
# tells the reader what to answer, to ignore something, to visit a link and log in, to hand over credentials, or
# to play a role. Each cue below is one such form; a passage's score is the sum of the weights of the cues it
# shows within a window of two sentences. Weights and threshold were chosen on measurement (see
# tests/assistant/test_safety.py): the real corpora include a Debian Edu administration manual full of
# second-person imperatives ("你可以…登录", "输入…密码", URLs), so the weak cues (1) occur there one or two at a
# time, and a passage needs three weak cues, or one strong cue (3), to reach the threshold (3). Measured: of 7,398
# corpus sentences 10 score 1 and 2 score 2 (none 3); of 810 chunk-sized windows 12 score 1 and 2 score 2; the 36
# paraphrased injections score 3 to 6. Strong cues are forms ordinary prose does not take: after the first
# measurement "扮演着…角色", "接下来你可以…" and "你需要告知这个 DNS 服务器" were excluded from them.
_READER = r"(?:提问者|提问人|询问者|咨询者|来访者|读者|使用者|对话者|问话人|查询者|提问的人|问问题的人)"
_MODEL = r"(?:AI|ＡＩ|人工智能|智能助手|助手|语言模型|大模型|模型|机器人|问答系统|聊天机器人|GPT|ChatGPT|LLM)"
_CUES: dict[str, tuple[int, re.Pattern[str]]] = {
    # addressed to a model: a vocative or second person naming what the reader is ("你作为AI", "AI助手请",
    # "if you are a language model", "dear assistant")
    "addresses_model": (
        3,
        re.compile(
            rf"(?:你|您)(?:是|作为|身为)?(?:一个|一名)?{_MODEL}"
            rf"|(?:作为|身为)(?:一个|一名)?{_MODEL}+[，,]?(?:你|您)"
            rf"|(?:各位|亲爱的|致|给)(?:{_MODEL})"
            rf"|{_MODEL}(?:们)?(?:请|须|必须|应当|务必|注意|看到|读到|阅读)"
            rf"|(?:if|when)\s+you(?:'re|\s+are)\s+(?:an?\s+|the\s+)?(?:ai|assistant|language\s+model|llm|chatbot|bot)"
            rf"|\b(?:dear|attention|note\s+to(?:\s+the)?)\s+(?:ai|assistant|model|llm|chatbot|bot)s?\b"
            rf"|\b(?:as\s+an?|you\s+are\s+an?)\s+(?:ai|assistant|language\s+model|llm|chatbot)\b"
            rf"|\b(?:ai|assistant|model|llm|chatbot)s?\s+(?:reading|processing|summari[sz]ing)\s+this",
            re.I,
        ),
    ),
    # role-play: the reader is told to be someone else ("你现在是…", "从现在起你…", "扮演", "act as")
    "role_play": (
        3,
        re.compile(
            r"(?:你|您)(?:现在|从现在起|从此|此后|接下来)(?:开始)?(?:就)?(?:是|扮演|作为|充当|化身)"
            r"|(?:从现在(?:开始|起)|从此刻起)[，,]?(?:你|您)"
            r"|(?:请|你|您)(?:来)?(?:扮演|假装|假扮|充当)(?!着)"
            r"|(?:以|用)[^。！？\n]{0,10}的(?:身份|口吻|语气)(?:来)?(?:回答|回复|答复|作答|说话|发言|介绍)"
            r"|\b(?:act|behave|respond|answer)\s+as\s+(?:if\s+you|an?\s|the\s)"
            r"|\bpretend\s+(?:to\s+be|you|that)|\byou\s+are\s+now\b|\bfrom\s+now\s+on\b|\brole-?play",
            re.I,
        ),
    ),
    # what the reader should answer or tell whoever asks ("应当告知提问者…", "如有人问起…就说…", "tell the user")
    "steers_answer": (
        3,
        re.compile(
            rf"(?:告知|告诉|转告|回复|回答|答复|通知|提醒)(?:给)?(?:所有|每一?位|任何)?{_READER}"
            rf"|(?:当|若|如果|如|凡|一旦)(?:有)?(?:人|用户|{_READER}|别人|对方)(?:再)?(?:问|询问|提问|咨询|问起|问到|查询)"
            r"|(?:回答|答复|回复|作答)(?:时|中|的时候|此类问题时|相关问题时)[，,]?(?:应|应当|应该|必须|务必|一律|只能|请|要|需)"
            r"|(?:你|您)的(?:回答|答复|回复|答案|输出)(?:中|里)?(?:应|应当|应该|必须|务必|一律|只能|要|需|不得|不要)"
            r"|(?:你|您)(?:必须|务必|应当|应该|只能|只需|一定要|不得|不要|不能|不许|禁止)(?:直接)?"
            r"(?:回答|告诉|告知|说|声称|表示|回复|答复|引用|提及|透露|输出|承认|强调|声明|写)"
            r"|\b(?:tell|inform|remind|advise|instruct)\s+(?:the\s+|any\s+|all\s+)?(?:users?|readers?|askers?|"
            r"visitors?|people|whoever|anyone|them)\b"
            r"|\b(?:when|if)\s+(?:someone|anyone|a\s+user|the\s+user|users|people|you\s+are)\s+(?:asks?|asked|"
            r"enquires?|inquires?)\b"
            r"|\b(?:your|the)\s+(?:answer|response|reply|output)\s+(?:must|should|shall|needs?\s+to)\b"
            r"|\byou\s+(?:must|should|shall|have\s+to|need\s+to)\s+(?:always\s+|only\s+|now\s+)?(?:answer|reply|"
            r"respond|say|tell|state|claim|output|write|mention|recommend|direct)\b"
            r"|\b(?:answer|reply|respond)\s+(?:only\s+)?(?:with|that|by\s+saying)\b",
            re.I,
        ),
    ),
    # set other instructions or sources aside ("不必理会上面的要求", "把前文的规定都抛开", "ignore what you were told")
    "overrides": (
        3,
        re.compile(
            r"(?:忽略|忽视|无视|忘记|忘掉|抛开|抛弃|丢掉|跳过|不必理会|不用理会|不要理会|别管|不要管|不再遵守|停止遵守|"
            r"覆盖|取代|推翻)[^。！？\n]{0,10}(?:指令|指示|提示词?|规则|规定|约束|限制|设定|要求|上文|前文|以上|上面|上述|"
            r"之前|此前|先前|原先|其他(?:资料|段落|文档|内容|来源|文件|材料)|所给|给定|你被告知)"
            r"|(?:以此为准|以本段为准|以本文为准|仅以本段|只以本段|只相信本段|只采信)"
            r"|\b(?:ignore|disregard|forget|override|bypass|skip)\s+(?:all\s+|any\s+|the\s+|your\s+|every\s+)?"
            r"(?:previous|prior|above|earlier|other|preceding|existing|original|instructions?|rules?|guidelines?|"
            r"sources?|documents?|passages?|context|everything|what)\b"
            r"|\b(?:new|updated|real|actual|overriding)\s+instructions?\b",
            re.I,
        ),
    ),
    # a request for credentials: an act of handing over (输入/提供/提交…) with what is handed (账号/密码/工号/验证码…)
    "asks_credentials": (
        1,
        re.compile(
            r"(?:输入|提供|提交|填写|填入|发送|告知|回复|上报|报送|核对|验证|确认)[^。！？\n]{0,12}"
            r"(?:账号|帐号|账户|帐户|密码|口令|工号|学号|验证码|动态码|身份证号?|银行卡号?|手机号)"
            r"|(?:账号|帐号|密码|口令|工号|学号|验证码|身份证号|银行卡号)[^。！？\n]{0,8}(?:发送|提交|告知|回复|填写|上报)"
            r"|\b(?:enter|provide|submit|send|type|confirm|verify|share|give)\s+(?:us\s+)?(?:your\s+|their\s+|the\s+)?"
            r"(?:[a-z]+\s+)?(?:password|passcode|credentials?|username|account\s+(?:number|details)|employee\s+(?:id|number)|"
            r"verification\s+code|one-time\s+code|otp|pin)\b",
            re.I,
        ),
    ),
    # the reader's own credentials named ("您的密码", "your one-time code"): who else's would a text ask for?
    "own_credentials": (
        2,
        re.compile(
            r"(?:你|您)的[^。！？\n]{0,6}(?:账号|帐号|账户|帐户|密码|口令|工号|学号|验证码|动态码|银行卡号?|身份证号)"
            r"|\byour\s+(?:[a-z-]+\s+)?(?:password|passcode|credentials|employee\s+(?:id|number)|verification\s+code|"
            r"one-time\s+code|pin|account\s+details)\b",
            re.I,
        ),
    ),
    # a lure or a threat that hurries the reader ("即可领取", "逾期账户将被冻结", "or your account will be closed")
    "lure_or_threat": (
        1,
        re.compile(
            r"(?:即可|就能|便可|就可以)(?:领取|获得|获取|参与|解锁|激活)"
            r"|(?:逾期|否则|过期)[^。！？\n]{0,10}(?:冻结|停用|注销|封禁|失效|处罚|清零)"
            r"|\b(?:or|otherwise)\s+your\s+(?:account|access)\s+will\b|\bto\s+(?:claim|receive)\s+your\b",
            re.I,
        ),
    ),
    # a link that asks to log in: a URL with 登录/认证/login in the same window
    "login_link": (
        1,
        re.compile(
            r"(?:https?://|www\.)\S*(?:login|signin|sign-in|auth|verify|account)"
            r"|(?:https?://|www\.)[^\s，。]*[^。！？\n]{0,20}(?:登录|登陆|认证|验证身份|log\s*in|sign\s*in)"
            r"|(?:登录|登陆|认证|验证身份|log\s*in|sign\s*in)[^。！？\n]{0,20}(?:https?://|www\.)",
            re.I,
        ),
    ),
    # an imperative to go somewhere or do something at once, aimed at the reader ("请立即访问", "速登录", "click here")
    "urges_visit": (
        1,
        re.compile(
            r"(?:请|务必|立即|立刻|马上|尽快|速|赶紧|须|需)(?:您|你)?(?:立即|立刻|马上|尽快)?"
            r"(?:访问|前往|点击|登录|登陆|打开|扫描|扫码|进入|联系|致电|拨打)"
            r"|\b(?:please\s+)?(?:visit|go\s+to|click|open|navigate\s+to|log\s*in\s+(?:at|to|via)|sign\s+in\s+(?:at|to))"
            r"\s+(?:here|this|the\s+(?:link|portal|page)|https?://|www\.)",
            re.I,
        ),
    ),
}
THRESHOLD = 3
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])|(?<=\.\s)")


def instruction_cues(text: str) -> dict[str, int]:
    """The cues of the highest-scoring window of two consecutive sentences of ``text``, with their weights."""
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()] or [text]
    best: dict[str, int] = {}
    for i in range(len(sentences)):
        window = "".join(sentences[i : i + 2])
        found = {name: weight for name, (weight, cue) in _CUES.items() if cue.search(window)}
        if sum(found.values()) > sum(best.values()):
            best = found
    return best


def instruction_score(text: str) -> int:
    return sum(instruction_cues(text).values())


def looks_like_injection(text: str) -> bool:
    """Text addressed to the reader or a model rather than written about the subject: the fixed phrases of
    ``INJECTION`` or a form score at or over the threshold."""
    return INJECTION.search(text) is not None or instruction_score(text) >= THRESHOLD
