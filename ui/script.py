"""The page's small script (given to Gradio as ``head``): what plain HTML links and CSS cannot do.

- ``[n]`` in an answer opens *that turn's* cited passage (a closed ``<details>``), scrolls it into view and marks
  it as the current target; a browser's own fragment jump would neither open it nor survive Gradio's re-renders.
- A new question scrolls the chat so the question and the *start* of its answer are on screen (Gradio's autoscroll
  shows the tail, which on a projector is the wrong end).
- 演示模式 (classroom mode) is a class on <body>, remembered in this browser's localStorage.
- Gradio's connection-loss toasts are in English whatever the page's language; they are replaced with Chinese.
"""

from __future__ import annotations

import json

from ui import strings

TARGET_CLASS = "rz-target"
CLASSROOM_CLASS = "rz-classroom"
CLASSROOM_KEY = "rongzhi-classroom"  # localStorage key

# Gradio's English messages (substrings) and what a person reads instead.
TOAST_TRANSLATIONS = {
    "Connection errored out": strings.ERROR_CONNECTION,
    "connection": strings.ERROR_CONNECTION,
    "Error": strings.ERROR_TITLE,
}

_SCRIPT = """
<script>
(() => {
  const TARGET = %(target)s, CLASSROOM = %(classroom)s, KEY = %(key)s, TOASTS = %(toasts)s;

  function openCitation(id) {
    const passage = document.getElementById(id);
    if (!passage) return false;
    document.querySelectorAll("." + TARGET).forEach((el) => el.classList.remove(TARGET));
    passage.open = true;
    passage.classList.add(TARGET);
    passage.scrollIntoView({block: "center"});
    return true;
  }
  // capture phase: before Gradio's own link handling (which would open "#..." as a new page)
  document.addEventListener("click", (event) => {
    const link = event.target.closest ? event.target.closest("a.rz-marker") : null;
    if (!link) return;
    const id = (link.getAttribute("href") || "").replace(/^#/, "");
    if (openCitation(id)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  // 演示模式: called by the toggle and, with the remembered choice, when the page loads
  window.rzClassroom = (on) => {
    document.body.classList.toggle(CLASSROOM, !!on);
    try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: not remembered */ }
    return !!on;
  };
  window.rzClassroomRemembered = () => {
    let on = false;
    try { on = localStorage.getItem(KEY) === "1"; } catch (e) { /* not remembered */ }
    document.body.classList.toggle(CLASSROOM, on);
    return on;
  };

  function scrollable(el) {
    for (let node = el.parentElement; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (/(auto|scroll)/.test(style.overflowY) && node.scrollHeight > node.clientHeight) return node;
    }
    return null;
  }
  let questions = 0;
  function onChatChange() {
    const rows = document.querySelectorAll("#rz-chat .message-row.user-row");
    if (rows.length > questions) {
      const row = rows[rows.length - 1], box = scrollable(row);
      if (box) box.scrollTop += row.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
    }
    questions = rows.length;
  }
  function translateToasts() {
    document.querySelectorAll(".toast-title, .toast-text").forEach((el) => {
      if (el.dataset.rz) return;
      for (const [english, chinese] of Object.entries(TOASTS)) {
        if (el.textContent.includes(english)) { el.textContent = chinese; el.dataset.rz = "1"; break; }
      }
    });
  }
  new MutationObserver(() => { onChatChange(); translateToasts(); })
    .observe(document.documentElement, {childList: true, subtree: true});
})();
</script>
"""

PAGE_HEAD = _SCRIPT % {
    "target": json.dumps(TARGET_CLASS),
    "classroom": json.dumps(CLASSROOM_CLASS),
    "key": json.dumps(CLASSROOM_KEY),
    "toasts": json.dumps(TOAST_TRANSLATIONS, ensure_ascii=False),
}
