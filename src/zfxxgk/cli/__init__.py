"""The zfxxgk command. Each module holds a group of commands; this joins them into one Typer app."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import __version__
from . import check, collect, outputs, store, web

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="政府信息公开工作年度报告：解析、核对、生成。 Parse, check and write annual disclosure reports.")


def _version(value: bool) -> None:
    if value:
        print(f"zfxxgk {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="显示版本 / show the version")] = False,
) -> None:
    """政府信息公开工作年度报告：解析、核对、生成。"""


for command in (check.parse, check.check, check.rules, outputs.export, outputs.render, outputs.form,
                store.ingest, store.history, store.show, store.bodies, store.stats, collect.collect, web.serve):
    app.command()(command)
app.add_typer(store.regions_app, name="regions")
app.add_typer(web.users_app, name="users")

__all__ = ["app"]
