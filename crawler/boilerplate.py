"""General Korean news boilerplate rules (no per-site rules): what must not reach the stored text.

Two levels.  Before extraction, page elements that are never article text (captions, related-article boxes,
share and font-size widgets, copyright footers, reporter boxes) are removed from the tree by class/id words and
tags.  After extraction, whole lines that are residue are dropped: photo credits, "<이미지를 클릭하시면 크게 보실
수 있습니다>", reporter e-mail lines, "무단 전재 및 재배포 금지", portal widget text ("주소복사가 완료되었습니다").
A line is dropped only when the whole line is residue, so a sentence that merely mentions 기자 or 사진 stays.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------- tree level

# Class/id words of containers that hold no article text on Korean news sites (matched as whole words).
NOISE_WORDS = (
    "caption", "figcaption", "photo_caption", "img_caption", "imgcaption", "related", "relate", "relation",
    "related_news", "relatednews", "rel_news", "article_relation", "more_news", "recommend", "popular",
    "ranking", "most_viewed", "copyright", "copy_right", "reporter_area", "byline_box", "journalist",
    "share", "sns", "social", "font_size", "fontsize", "text_size", "print_btn", "subscribe", "banner",
    "advert", "ad_wrap", "ads", "promotion", "comment", "comments", "reply", "tag_list", "taglist",
    "keyword_list", "breadcrumb", "gnb", "lnb", "snb", "footer", "header", "nav", "menu", "sidebar",
    "aside", "tts", "listen", "audio_player", "vod", "newsletter",
)
_NOISE_RE = re.compile(r"(?:^|[\s_\-])(" + "|".join(re.escape(w) for w in NOISE_WORDS) + r")(?:$|[\s_\-\d])", re.I)
NOISE_TAGS = ("figcaption", "aside", "nav", "footer", "script", "style", "noscript", "iframe", "form", "button",
              "select", "svg")


def is_noise_container(class_or_id: str) -> bool:
    return bool(_NOISE_RE.search(class_or_id))


def prune_tree(tree) -> None:
    """Remove boilerplate containers from an lxml HTML tree in place (never <body>, <article> or <main>)."""
    doomed = []
    for el in tree.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in ("html", "body", "article", "main", "head"):
            continue
        if tag in NOISE_TAGS:
            doomed.append(el)
            continue
        label = f"{el.get('class', '')} {el.get('id', '')}".strip()
        if label and is_noise_container(label) and not _holds_most_text(el):
            doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is not None:
            tail = el.tail
            parent.remove(el)
            if tail and tail.strip():
                prev = parent[-1] if len(parent) else None
                if prev is not None:
                    prev.tail = (prev.tail or "") + tail
                else:
                    parent.text = (parent.text or "") + tail


def _holds_most_text(el) -> bool:
    """A container with much Korean prose is the article, whatever its class says (e.g. "article_header")."""
    text = el.text_content() if hasattr(el, "text_content") else ""
    return len(_HANGUL.findall(text)) > 400


# ---------------------------------------------------------------- line level

_HANGUL = re.compile("[\uac00-\ud7a3]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NAME = r"[가-힣]{2,4}"

RESIDUE_LINES = [
    re.compile(p) for p in (
        r"^<?\s*이미지를?\s*클릭하시면\s*크게\s*보실\s*수\s*있습니다\s*>?$",
        r"무단\s*(전재|복제|배포)",
        r"재배포\s*(및\s*)?(AI\s*학습\s*(이용\s*)?)?금지",
        r"^(ⓒ|©|\(c\)|Copyright|저작권자)",
        r"^[^가-힣]{0,20}(ⓒ|©)\s*\S+",
        r"^(댓글|첫\s*댓글|주소\s*복사|주소복사가\s*완료|기사\s*공유|공유하기|스크랩|인쇄하기|글자\s*크기|"
        r"본문\s*듣기|기사\s*듣기|음성\s*재생|구독하기|좋아요|싫어요|추천\s*기사|많이\s*본\s*뉴스|관련\s*기사|"
        r"관련기사|이\s*기사를\s*추천합니다|기사\s*제보|제보하기|컨텐츠\s*바로가기|콘텐츠\s*바로가기|본문\s*바로가기|"
        r"top\s*$|맨\s*위로|닫기$|더보기$|광고$)",
        r"^\[?\s*(사진|그래픽|영상|자료|출처)\s*[=:]\s*[^\]]{1,30}\]?$",
        r"^\(?\s*(사진|그래픽|영상)\s*[=:]\s*[^)]{1,30}\)?$",
        r"^▶|^☞|^■\s*관련|^※\s*(이\s*기사|본\s*기사)",
        r"^\d{2}\.\d{2}\s*\([월화수목금토일]\)$",
        r"^(입력|수정|업데이트|기사입력|최종수정|송고)\s*[:：]?\s*\d{4}[.\-/]",
    )
]
# A reporter line: name + 기자/특파원 (+ e-mail), nothing else of substance.
_ROLE = r"(?:기자|특파원|객원기자|선임기자|전문기자|인턴기자|논설위원|통신원)"
_REPORTER_LINE = re.compile(
    rf"^[\[(]?\s*(?:[가-힣A-Za-z]{{1,12}}\s*=\s*)?(?:{_NAME}\s*[,·/]\s*)*{_NAME}\s*{_ROLE}"
    rf"(?:\s*[,·/]\s*{_NAME}\s*{_ROLE})*\s*[\])]?\s*=?\s*(?:{_EMAIL.pattern})?\s*$")
_DATELINE_ONLY = re.compile(rf"^[\[(【]\s*[가-힣A-Za-z ]{{1,12}}\s*=\s*[^\])】]{{1,20}}[\])】]\s*(?:{_NAME}\s*{_ROLE})?\s*=?\s*$")
# Photo credit ending a caption line: "… 사진 공동취재단", "…/사진=연합뉴스", "… [연합뉴스 자료사진]".
_CAPTION_END = re.compile(r"(?:/\s*사진\s*=\s*\S+|사진\s*(?:공동취재단|제공|=\s*\S+)|\[[^\]]{0,20}(?:자료)?사진\]|"
                          r"\((?:사진|그래픽)\s*=?\s*[^)]{0,20}\)|연합뉴스\s*(?:자료)?사진)\s*$")


def is_residue(line: str) -> bool:
    """True when the whole line is boilerplate (see module docstring)."""
    s = line.strip()
    if not s:
        return True
    if any(p.search(s) for p in RESIDUE_LINES):
        # Long prose that merely contains a footer phrase mid-sentence stays.
        return len(s) < 160 or bool(re.search(r"무단\s*(전재|복제|배포)|재배포", s))
    if _REPORTER_LINE.match(s) or _DATELINE_ONLY.match(s):
        return True
    if _EMAIL.search(s) and len(_HANGUL.findall(s)) < 25:
        return True
    if _CAPTION_END.search(s) and not s.endswith(("다.", "다", "요.")):
        return True
    return False


_DATELINE = re.compile(rf"^\s*[\[(【]\s*[가-힣A-Za-z ]{{1,12}}\s*=\s*[^\])】]{{1,20}}[\])】]\s*(?:{_NAME}\s*(?:기자|특파원)\s*=?\s*)?")


def clean_text(text: str) -> str:
    """Drop residue lines, collapse blank runs and squeeze spaces inside lines."""
    out: list[str] = []
    for raw in text.splitlines():
        line = re.sub(r"[ \t\u00a0\u200b\u3000]+", " ", raw).strip()
        if not line or is_residue(line):
            continue
        out.append(line)
    # A trailing run of short lines (tags, credits, "기자 = 홍길동") after the last sentence is residue.
    while out and len(out[-1]) < 40 and not re.search(r"[다요]\s*[.\"'”’]?$", out[-1]):
        out.pop()
    return "\n".join(out)


def reporter_in(lines) -> str | None:
    """"홍길동 기자" from a byline line (a short line that is only names, a role and maybe an e-mail)."""
    for line in lines:
        line = line.strip()
        if len(line) > 80 or not (_REPORTER_LINE.match(line) or _DATELINE_ONLY.match(line)):
            continue
        match = re.search(rf"(?<![가-힣])({_NAME})\s*({_ROLE})", line)
        if match:
            return f"{match.group(1)} {match.group(2)}"
    return None


def strip_dateline(text: str) -> str:
    """"[서울=뉴시스] 홍길동 기자 = " at the start of the body is metadata, not a sentence (used by summaries)."""
    return _DATELINE.sub("", text, count=1)
