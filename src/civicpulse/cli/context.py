"""What every command shares: settings, the data home, the query engine, the consoles."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import typer
from rich.console import Console

from civicpulse.config import Settings
from civicpulse.query.engine import Engine, connect
from civicpulse.store.home import Home

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


@dataclass
class Context:
    settings: Settings
    _engines: dict[int, Engine] = field(default_factory=dict)

    @cached_property
    def home(self) -> Home:
        return Home(self.settings.home)

    def engine(self, seq: int | None = None) -> Engine:
        """A query engine over the lake as committed now (or at data cut ``seq``)."""
        cut = self.home.lake.cut(seq)
        if cut.seq not in self._engines:
            con = connect(self.settings.engine, spark_master=self.settings.spark_master)
            self._engines[cut.seq] = Engine(con, cut, self.home.registry(), name=self.settings.engine)
        return self._engines[cut.seq]


def get(ctx: typer.Context) -> Context:
    obj = ctx.find_root().obj
    assert isinstance(obj, Context)
    return obj
