"""Markdown that staff write (product descriptions) rendered for shoppers, safely.

markdown-it-py parses CommonMark with raw HTML turned off (``<script>`` stays text), then nh3
(the Ammonia sanitiser) keeps only an allow-list of tags and attributes, links only to
``http``/``https``/``mailto`` with ``rel="nofollow noopener noreferrer ugc"``. Two layers: a bug
in one does not let markup through."""

from __future__ import annotations

from functools import lru_cache
from html import unescape

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
MAX_SOURCE = 20_000


@lru_cache(maxsize=2)
def _parser(*, html: bool = False) -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": html, "linkify": False, "typographer": False}).enable(
        ["table", "strikethrough"]
    )


def _shift_headings(html: str) -> str:
    # The page's own <h1> is the product's name: a description's "# Title" becomes an <h2>.
    for level in (3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(f"</h{level}>", f"</h{level + 1}>")
    return html.replace("<h5>", "<h4>").replace("</h5>", "</h4>").replace("<h6>", "<h4>").replace("</h6>", "</h4>")


def render_markdown(text: str, *, page_heading: bool = False) -> SafeString:
    """``text`` (Markdown, at most ``MAX_SOURCE`` characters read) as sanitised HTML. Headings
    start at ``<h2>`` (the page has its own ``<h1>``) unless ``page_heading`` (a whole document)."""
    if not text:
        return mark_safe("")
    html = _parser().render(str(text)[:MAX_SOURCE])
    if not page_heading:
        html = _shift_headings(html)
    clean = nh3.clean(
        html,
        tags=(ALLOWED_TAGS | {"h1"}) if page_heading else ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def markdown_to_text(text: str) -> str:
    """The words of a Markdown text without its markup (for meta descriptions and JSON-LD)."""
    if not text:
        return ""
    # HTML on here: nh3 then drops every tag (and a script's or style's content), keeping the words.
    html = _parser(html=True).render(str(text)[:MAX_SOURCE])
    return " ".join(unescape(nh3.clean(html, tags=set(), attributes={})).split())
