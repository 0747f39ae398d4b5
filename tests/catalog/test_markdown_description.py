"""Issue 13, item 9: product descriptions are Markdown, rendered on the storefront through
markdown-it-py (raw HTML off) and nh3 (allow-list): formatting shows, nothing can be injected."""

import json
import re

import pytest

from apps.core.markdown import markdown_to_text, render_markdown
from tests.catalog.factories import make_product

pytestmark = pytest.mark.django_db

EVIL = (
    "# Warm and light\n\n**Merino** wool, *soft*.\n\n- one\n- two\n\n"
    "<script>alert('x')</script> <img src=x onerror=alert(1)> <a href='javascript:alert(2)'>raw</a>\n\n"
    "[bad](javascript:alert(3)) [data](data:text/html;base64,PHNjcmlwdD4=) [good](https://example.com/care)\n\n"
    '<div style="position:fixed">overlay</div>'
)


@pytest.mark.parametrize(
    ("source", "must", "must_not"),
    [
        ("**b** *i* ~~s~~", ["<strong>b</strong>", "<em>i</em>", "<s>s</s>"], []),
        ("# Top", ["<h2>Top</h2>"], ["<h1>"]),
        ("[x](https://e.com)", ['href="https://e.com"', 'rel="nofollow noopener noreferrer ugc"'], []),
        ("[x](javascript:alert(1))", [], ["href="]),
        ("<b onclick=x>hi</b>", ["&lt;b onclick=x&gt;hi&lt;/b&gt;"], ["<b"]),
        ("| a |\n|---|\n| 1 |", ["<table>", "<td>1</td>"], []),
    ],
)
def test_render_markdown(source, must, must_not):
    html = render_markdown(source)
    for piece in must:
        assert piece in html, (piece, html)
    for piece in must_not:
        assert piece not in html, (piece, html)


def test_markdown_to_text():
    assert markdown_to_text("**Merino** & [care](https://e.com)\n\n- soft") == "Merino & care soft"


def test_storefront_shows_formatting_and_never_runs_markup(client, tenant):
    make_product(tenant, "Wool Hat", slug="wool-hat", description=EVIL)
    body = client.get(f"/s/{tenant.slug}/p/wool-hat/").content.decode()
    description = body[body.index('<div class="description">') :]
    description = description[: description.index("</div>", description.index("overlay")) + 6]
    assert "<h2>Warm and light</h2>" in description and "<strong>Merino</strong>" in description
    assert "<li>one</li>" in description and 'href="https://example.com/care"' in description
    assert "<script" not in description and "onerror" not in description.replace("onerror=alert(1)&gt;", "")
    assert not re.search(r"<(img|div style|a href=.javascript)", description)
    assert "javascript:" not in re.sub(r"&lt;.*?&gt;|\[bad\]\(javascript:alert\(3\)\)", "", description)
    assert "data:text/html" not in re.findall(r'href="([^"]*)"', description)
    # meta tags and JSON-LD carry the words, not the markup
    meta = re.search(r'<meta name="description" content="([^"]*)"', body).group(1)
    assert meta.startswith("Warm and light Merino wool, soft.") and "**" not in meta
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1))
    assert ld["description"].startswith("Warm and light Merino wool") and "<" not in ld["description"]
    assert "alert('x')" not in ld["description"] and "overlay" in ld["description"]
