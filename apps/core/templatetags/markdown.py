"""``{% load markdown %}``: ``{{ text|markdown }}`` (sanitised HTML) and ``{{ text|markdown_text }}``
(plain words, for meta tags). See ``apps.core.markdown``."""

from django import template

from apps.core.markdown import markdown_to_text, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """Markdown rendered and sanitised; raw HTML in it is shown as text, never run."""
    return render_markdown(text or "")


@register.filter(name="markdown_text")
def markdown_text_filter(text: str) -> str:
    """The text of a Markdown source without its markup."""
    return markdown_to_text(text or "")
