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
    table = Table(show_lines=False)
    table.add_column(h["place"], justify="right")
    table.add_column(h["body"])
    table.add_column(h["pages"], justify="right")
    table.add_column(view.followers_from_heading, justify="right")
    table.add_column(view.followers_to_heading, justify="right")
    table.add_column(h["change"], justify="right")
    table.add_column(h["change_pct"], justify="right")
    table.add_column(h["posts"], justify="right")
    for b in view.bodies:
        table.add_row(
            *(
                Text(c)
                for c in (b.place, b.name, b.pages, b.followers_from, b.followers_to, b.change, b.change_pct, b.posts)
            )
        )
    console.print(table)
    for body in view.details:
        console.print()
        console.print(Text(body.name, style="bold"))
        console.print(Text(body.text))
    console.print()
    console.print(Text(view.footer, style="dim"))
