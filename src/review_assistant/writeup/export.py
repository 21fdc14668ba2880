"""A review's write-up as a file to share: Markdown, or one self-contained HTML page.

The HTML page is the Markdown write-up rendered by markdown-it (raw HTML off, so nothing typed
into the review can become markup), with the timeline picture drawn as inline SVG and a style
sheet that reads well on screen and on paper. Nothing is loaded from elsewhere.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from review_assistant.domain.models import DraftKind, Review
from review_assistant.domain.text import printable
from review_assistant.writeup.anonymise import Anonymiser
from review_assistant.writeup.render import PICTURE_FENCE, environment, render_draft

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

FORMATS = ("md", "html")


def export_writeup(review: Review, fmt: str, *, anonymise: bool = True) -> str:
    """The full write-up as Markdown (``"md"``) or a self-contained HTML page (``"html"``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown write-up format {fmt!r}; use md or html")
    markdown = render_draft(DraftKind.WRITEUP, review, anonymise=anonymise)
    if fmt == "md":
        return markdown
    title = review.session.title
    if anonymise:
        title = Anonymiser(review.participants).text(title)
    return html_page(review, markdown, title=title)


def unnamed_people(review: Review) -> list[str]:
    """Who/owner values that match no participant: an anonymised export leaves them as written."""
    return Anonymiser(review.participants).unknown_people(review)


@functools.cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def html_body(review: Review, markdown: str) -> str:
    """The write-up's Markdown as HTML, with the picture block drawn as SVG."""
    md = _markdown()
    tokens = md.parse(markdown)
    for token in tokens:
        if token.type == "fence" and token.info.strip() == PICTURE_FENCE:
            svg = _svg(review)
            if svg:  # drawn by us from times alone; the one piece of HTML not from markdown-it
                token.type, token.content = (
                    "html_block",
                    f'<figure class="picture">\n{svg}\n</figure>\n',
                )
    return str(md.renderer.render(tokens, md.options, {}))


def _svg(review: Review) -> str:
    from review_assistant.writeup.picture import incident_picture, picture_svg

    picture = incident_picture(review)
    return "" if picture is None else picture_svg(picture)


def html_page(review: Review, markdown: str, *, title: str) -> str:
    from markupsafe import Markup

    context: dict[str, Any] = {
        "title": " ".join(printable(title).split()),
        "body": Markup(html_body(review, markdown)),
        "changed": review.session.updated_at.strftime("%Y-%m-%d"),
    }
    return environment().get_template("page.html.j2").render(context)
