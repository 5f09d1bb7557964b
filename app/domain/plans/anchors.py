"""The events plans count from, as they name them, mapped to the anchors the engine knows.

Matching is on folded text (see text.fold), first entry first: the more specific names come
before the general ones ("Quyết định công bố … có hiệu lực" before "Quyết định công bố").
Each entry also gives the canonical wording the renderer writes for that anchor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.deadlines.model import AnchorEvent
from app.domain.plans.text import fold


@dataclass(frozen=True, slots=True)
class AnchorName:
    anchor: AnchorEvent
    pattern: re.Pattern[str]
    canonical: str  # the event, written after "kể từ ngày" / "sau khi"


def _name(anchor: AnchorEvent, pattern: str, canonical: str) -> AnchorName:
    return AnchorName(anchor, re.compile(fold(pattern)), canonical)


# ND 63/2010 Art. 15: the minister's decision publishing the list of procedures.
_NAMES = (
    _name(
        AnchorEvent.DECISION_POSTED,
        r"quyết định công bố.*(đăng tải|đăng công khai)",
        "Quyết định công bố được đăng tải công khai",
    ),
    _name(
        AnchorEvent.MINISTRY_LIST_SIGNED,
        r"(bộ trưởng|cơ quan ngang bộ).*(ban hành|ký)|(ban hành|ký).*danh mục tthc.*của bộ",
        "Bộ trưởng, Thủ trưởng cơ quan ngang bộ ký ban hành Danh mục TTHC",
    ),
    _name(
        AnchorEvent.DECISION_EFFECTIVE,
        r"quyết định công bố.*hiệu lực",
        "Quyết định công bố có hiệu lực thi hành",
    ),
    _name(
        AnchorEvent.LEGAL_DOCUMENT_EFFECTIVE,
        r"(văn bản qppl|văn bản quy phạm pháp luật).*hiệu lực",
        "văn bản QPPL có hiệu lực thi hành",
    ),
    _name(
        AnchorEvent.LEGAL_DOCUMENT_SIGNED,
        r"(văn bản qppl|văn bản quy phạm pháp luật).*(ban hành|ký)",
        "văn bản QPPL được ban hành",
    ),
    _name(
        AnchorEvent.DECISION_SIGNED,
        r"quyết định (được )?công bố|công bố (dm|danh mục) tthc",
        "ký ban hành Quyết định công bố",
    ),
    _name(AnchorEvent.PLAN_ISSUED, r"kế hoạch này", "ban hành Kế hoạch này"),
    _name(
        AnchorEvent.FEEDBACK_RESOLVED,
        r"báo cáo kết quả (giải quyết|xử lý)",
        "có Báo cáo kết quả giải quyết",
    ),
    _name(
        AnchorEvent.FEEDBACK_RECEIVED,
        r"(tiếp nhận|nhận được).*(phản ánh|kiến nghị)|(phản ánh|kiến nghị).*(tiếp nhận|nhận được)",
        "tiếp nhận phản ánh, kiến nghị",
    ),
    _name(
        AnchorEvent.DOSSIER_RECEIVED,
        r"(tiếp nhận|nhận).*hồ sơ|hồ sơ.*(tiếp nhận|nhận)",
        "tiếp nhận hồ sơ",
    ),
    _name(AnchorEvent.INSPECTION_DONE, r"^(có )?(kết luận )?kiểm tra", "kiểm tra"),
    _name(
        AnchorEvent.GUIDANCE_ISSUED,
        r"(ban hành|có) thông tư hướng dẫn",
        "VPCP ban hành thông tư hướng dẫn",
    ),
)
CANONICAL = {n.anchor: n.canonical for n in _NAMES}
# Receipt, named alone ("kể từ ngày tiếp nhận"): what was received is in the row's task.
_RECEIPT = re.compile(r"^(ngày )?(tiếp nhận|nhận được)$")
_CONTEXT = (
    (re.compile(fold(r"phản ánh|kiến nghị")), AnchorEvent.FEEDBACK_RECEIVED),
    (re.compile(fold(r"hồ sơ")), AnchorEvent.DOSSIER_RECEIVED),
)
# The longest event of the source plans is under 200 characters.
MAX_EVENT = 400
# Words that introduce the event and say nothing about which it is.
_LEAD = re.compile(r"^(ngày|thời gian|thời điểm|khi|có|sau khi)\s+")


def event_text(folded: str) -> str:
    """The event named after "kể từ" / "sau khi", without its leading "ngày", "có" …"""
    text = folded.strip(" ,.;:")
    while (stripped := _LEAD.sub("", text, count=1)) != text:
        text = stripped
    return text


def map_anchor(folded: str, context: str = "") -> tuple[AnchorEvent | None, str | None]:
    """The anchor a (folded) event name maps to, and the reading chosen when the name alone
    does not say (None when it does). `context`: the row's task, folded."""
    event = event_text(folded)
    if len(event) > MAX_EVENT:
        return None, None  # no event is named in a paragraph; the patterns' ".*" would crawl
    for name in _NAMES:
        if name.pattern.search(event):
            return name.anchor, None
    if _RECEIPT.match(event):
        for pattern, anchor in _CONTEXT:
            if pattern.search(context):
                return anchor, f"'{event}' names no object: the row's task says what is received"
    return None, None
