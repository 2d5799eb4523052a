"""Every Chinese string the web UI shows, in one place (prompts and answer phrases live in assistant/prompts.py)."""

APP_TITLE = "融智 · 科技创新与产业创新融合发展论文问答"
APP_INTRO = "每个回答都附有出处：论文、章节和原文段落。资料中没有的内容，会直接说明“资料中没有”。"
STATUS_LINE = "嵌入模型：{embedder}　|　回答方式：{backend}　|　已收录 {papers} 篇论文、{chunks} 个段落"
BACKEND_NAMES = {"extractive": "原文摘录（离线）", "openai": "大模型服务（OpenAI 兼容）", "llamacpp": "本地大模型"}
# The model's state, after the status line, for a model backend only (checked in the background, ui/app.py)
STATUS_MODEL = "　|　模型：{state}"
MODEL_AVAILABLE = "可用"
MODEL_UNAVAILABLE = "不可用"
MODEL_NOT_CONFIGURED = "未配置"
MODEL_CHECKING = "检查中"

QUESTION_LABEL = "问题"
QUESTION_PLACEHOLDER = "请输入问题，例如：科技创新与产业创新融合面临哪些障碍？（回车发送）"
SEND = "发送"
SEARCHING = "正在检索资料…"  # in the chat under the question until the answer streams
CLEAR = "清空对话"
CLASSROOM = "演示模式（大字号，适合投影）"
CHAT_LABEL = "对话"
FILTER_LABEL = "只在这些论文中查找（不选即全部）"
EXAMPLES_LABEL = "示例问题（课堂演示）"

TAB_CITATIONS = "引用"
TAB_EVIDENCE = "证据"
TAB_EXPORT = "导出"
NO_ANSWER_YET = "提问后，这里会显示最近一个回答的引用。"
NO_EVIDENCE_YET = "提问后，这里会列出检索到的全部段落及其得分。"

RELATED_HEADING = "相关但不足以回答的段落"
EVIDENCE_SCORES = "融合得分 {fused}　语义相似度 {dense}　关键词得分 {lexical}"
EVIDENCE_CITED = "已引用"
EVIDENCE_REFERENCE = "参考文献"
EVIDENCE_SUMMARY = "共检索到 {count} 个段落；用时：{timings}"
STAGE_NAMES = {"rewrite": "改写", "retrieve": "检索", "gate": "判断", "answer": "作答", "total": "合计"}

EXPORT_LABEL = "整个对话的简报（Markdown，可复制；引文作为脚注）"
EXPORT_DOWNLOAD = "下载简报（Markdown）"
EXPORT_DOWNLOAD_DOCX = "下载简报（Word）"
EXPORT_FILE_STEM = "简报"

FEEDBACK_ASK_REASON = "已记录评价（再点一次可改）。愿意的话，写一句原因："
FEEDBACK_SAVE_REASON = "提交原因"
FEEDBACK_COMMENT = "原因（可选）"
FEEDBACK_SAVED = "已记录反馈，谢谢！"
FEEDBACK_NOTHING = "还没有可以反馈的回答，请先提问。"
FEEDBACK_FAILED = "反馈保存失败：{reason}"
FEEDBACK_TOO_LONG = "补充说明过长（{chars} 字），请精简到 {limit} 字以内。"
FEEDBACK_TOO_OFTEN = "反馈提交过于频繁，请稍后再试。"

ERROR_GENERIC = "出错了：{reason}。请稍后再试；问题和对话记录均已保留。"
ERROR_CONNECTION = "与服务器的连接中断了。问题仍在输入框中，请稍后重新发送。"
ERROR_TITLE = "出错了"
ERROR_STORE_DOWN = "暂时无法连接向量库，请稍后再试；服务恢复后无需刷新页面。"
STARTED = "融智已启动：{url}"
LOGIN_MESSAGE = "请输入用户名和密码登录融智"

# One demonstration question per kind; the follow-up is asked after the list question it refers to.
EXAMPLE_FACT = "成都高新区用什么机制攻克关键核心技术难题？"
EXAMPLE_LIST = "科技创新与产业创新融合面临哪些障碍？"
EXAMPLE_COMPARE = "不同文章怎么看待成果转化中的“死亡之谷”？"
EXAMPLE_FOLLOWUP = "那第二条具体指什么？"
EXAMPLE_UNANSWERABLE = "合肥市设立的政府引导基金总规模是多少亿元？"
EXAMPLES = (
    ("事实", EXAMPLE_FACT),
    ("清单", EXAMPLE_LIST),
    ("比较", EXAMPLE_COMPARE),
    ("追问", EXAMPLE_FOLLOWUP),
    ("资料中没有", EXAMPLE_UNANSWERABLE),
)
