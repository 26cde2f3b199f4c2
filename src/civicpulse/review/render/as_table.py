"""The review in a terminal: the bodies' table, then each body's paragraph (no markup is interpreted)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from civicpulse.review.render.view import ArticleView


def print_table(view: ArticleView, console: Console) -> None:
    """Print ``view`` on ``console``: names and texts are shown as plain text, never as Rich markup."""
    h = view.headings
    if view.simulated:
        console.print(Text(f"{view.simulated_label}. {view.warning}", style="bold yellow"))
    console.print(Text(view.title, style="bold"))
    console.print(Text(" ".join(view.lead)))
    # few columns; numbers keep their width and headers wrap instead, so the table reads in 80 columns
    rows = [(b.place, b.name, b.followers_from, b.followers_to, b.change_pct, b.posts) for b in view.bodies]
    titles = (h["place"], h["body"], view.short_from_heading, view.short_to_heading, h["change_pct"], h["posts"])
    table = Table(show_lines=False, pad_edge=False)
    for i, title in enumerate(titles):
        if i == 1:
            table.add_column(title, ratio=1, min_width=18, overflow="fold")
        else:
            width = max([len(r[i]) for r in rows] + [4])
            table.add_column(title, justify="right", min_width=width, max_width=max(width, 12))
    for row in rows:
        table.add_row(*(Text(c) for c in row))
    console.print(table)
    for body in view.details:
        console.print()
        console.print(Text(body.name, style="bold"))
        console.print(Text(body.text))
    console.print()
    console.print(Text(view.footer, style="dim"))
