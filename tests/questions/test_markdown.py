import re

from questions.markdown import render_markdown


def test_renders_commonmark_with_code_and_tables():
    html = render_markdown("**bold**\n\n```python\nx = 1\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<strong>bold</strong>" in html
    assert '<code class="language-python">' in html
    assert "<td>1</td>" in html


def test_raw_html_scripts_and_event_handlers_never_survive():
    html = render_markdown('<script>alert(1)</script><img src=x onerror="alert(1)">')
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_htmx_attributes_and_javascript_links_are_stripped():
    html = render_markdown('<a hx-get="/admin/" href="#">x</a> [click](javascript:alert(1))')
    assert not re.search(r"<[^>]*\shx-", html)  # may appear as escaped text, never as an attribute
    assert 'href="javascript' not in html


def test_inline_markdown_for_choices_keeps_code_and_drops_blocks_and_scripts():
    from questions.markdown import render_markdown_inline

    html = render_markdown_inline("Use `customer_id` **now** <script>x</script>")
    assert html == "Use <code>customer_id</code> <strong>now</strong> &lt;script&gt;x&lt;/script&gt;"
