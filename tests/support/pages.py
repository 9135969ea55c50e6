"""Reading a page's HTML: a table by id, an organisation's row in it."""

from __future__ import annotations


def table(html: str, table_id: str) -> str:
    start = html.index(f'<table id="{table_id}"')
    return html[start:html.index("</table>", start)]


def row_of(table_html: str, name: str) -> str:
    start = table_html.index(f">{name}</a>")
    return table_html[start:table_html.index("</tr>", start)]
