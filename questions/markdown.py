"""The one place Markdown becomes HTML: markdown-it-py renders, nh3 sanitises.

Raw HTML in the source is escaped by the renderer (html=False) and nh3 keeps only an
allow-list of tags and attributes, so script, event handlers and hx-* attributes never survive.
"""

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul", "del",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "code": {"class"},
}


@lru_cache(maxsize=16384)
def render_markdown(text: str) -> SafeString:
    """Sanitised HTML for Markdown text (cached: bank text is rendered on every card)."""
    return _sanitise(_renderer.render(text or ""))


@lru_cache(maxsize=16384)
def render_markdown_inline(text: str) -> SafeString:
    """Sanitised HTML for one line of Markdown (choices, rubric points): `code`, **bold**, links."""
    return _sanitise(_renderer.renderInline(text or ""))


def _sanitise(html: str) -> SafeString:
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - nh3 output is the sanitised allow-list
