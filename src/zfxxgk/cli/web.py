"""`zfxxgk serve` and `zfxxgk users …`: start the web application and manage its accounts."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table as RichTable

from ..i18n import t
from ..web import texts  # noqa: F401  (the web texts, importable without the web extra)
from .common import Lang, LangOpt, console, fail, say
from .store import DbOpt, guarded, open_store

PasswordStdinOpt = Annotated[bool, typer.Option(
    "--password-stdin", help="从标准输入读取密码 / read the password from standard input")]

users_app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                        help="网页服务的用户 / accounts of the web application")


def _web(lang: str) -> None:
    """The web extra's modules, or exit 2 naming the extra."""
    try:
        import argon2  # noqa: F401
        import fastapi  # noqa: F401
        import multipart  # noqa: F401
        import uvicorn  # noqa: F401
    except ModuleNotFoundError as exc:
        fail(t("web.serve.needs_extra", lang, module=exc.name or ""))


def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option("--host", help="监听地址 / address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口 / port")] = 8000,
    workers: Annotated[int, typer.Option(
        "--workers", help="处理网页请求的进程数 / server processes answering requests")] = 1,
    parsers: Annotated[int, typer.Option("--parsers", help="解析上传文件的进程数 / processes parsing uploads")] = 0,
    secure_cookies: Annotated[bool, typer.Option(
        "--secure-cookies", help="只经 HTTPS 发送 Cookie（部署在 HTTPS 之后时）/ cookies over HTTPS only")] = False,
    lang: LangOpt = Lang.zh,
) -> None:
    """启动网页服务（审核、上传、报告页面与 API）。Start the web application."""
    _web(lang)
    import uvicorn

    from ..store.core import display_url
    from ..web.app import create_app
    from ..web.settings import ENV, Settings, to_env

    if workers < 1:
        fail(t("web.serve.bad_workers", lang, value=workers))
    store = open_store(db, lang)
    settings = Settings(db=db, secure_cookies=secure_cookies, **({"workers": parsers} if parsers > 0 else {}))
    say(t("web.serve.listening", lang, host=host, port=port, db=display_url(store.url)))
    if workers == 1:
        uvicorn.run(create_app(settings, store), host=host, port=port, log_level="warning")
        return
    # Several server processes: each answers requests; this process alone runs the job queue (one runner per
    # database, so a starting process never re-queues a job another one is parsing) and wakes up often.
    from ..web.jobs import JobRunner

    runner = JobRunner(store, replace(settings, job_poll_seconds=0.2))
    runner.start()
    os.environ[ENV] = to_env(replace(settings, start_jobs=False))
    try:
        uvicorn.run("zfxxgk.web.app:app_from_env", factory=True, workers=workers, host=host, port=port,
                    log_level="warning")
    finally:
        runner.stop()
        store.close()


def _password(from_stdin: bool, lang: str) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt(t("web.users.password_prompt", lang), hide_input=True, confirmation_prompt=True)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="用户名 / user name")],
    role: Annotated[str, typer.Option("--role", help="admin | reviewer | submitter")],
    region: Annotated[str | None, typer.Option("--region", help="审核人员的区划代码 / a reviewer's region code")] = None,
    body: Annotated[str | None, typer.Option(
        "--body", help="报送单位的机关编号或名称 / a submitter's body id or name")] = None,
    password_stdin: PasswordStdinOpt = False,
    db: DbOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """新建网页服务用户。Add a user of the web application."""
    _web(lang)
    from ..web.accounts import AccountError, add_user

    store = open_store(db, lang)
    with guarded(store, lang):
        body_id = None
        if body is not None:
            found = store.find_body(body)  # an id, a name, an alias
            if found is None:
                fail(t("web.users.no_body", lang, body=body))
            body_id = int(found["id"])
        password = _password(password_stdin, lang)
        try:
            user = add_user(store.engine, name, password, role, region=region, body_id=body_id)
        except AccountError as exc:
            fail(t(exc.key, lang, **exc.args_))
        say(t("web.users.created", lang, name=user.name, role=t(f"web.role.{user.role}", lang)))


@users_app.command("list")
def users_list(db: DbOpt = None, lang: LangOpt = Lang.zh) -> None:
    """列出网页服务用户。List the users of the web application."""
    _web(lang)
    from ..web.accounts import list_users

    store = open_store(db, lang)
    with guarded(store, lang):
        rows = list_users(store.engine)
        if not rows:
            say(t("web.users.none", lang))
            return
        table = RichTable()
        for key in ("web.login.name", "web.users.role", "web.users.scope", "web.users.active"):
            table.add_column(t(key, lang))
        for r in rows:
            scope = f"{r['region'] or ''} {r['region_code']}" if r["region_code"] else \
                f"{r['body'] or ''} #{r['body_id']}" if r["body_id"] else ""
            table.add_row(escape(r["name"]), t(f"web.role.{r['role']}", lang), escape(scope.strip()),
                          t("web.users.enabled" if r["active"] else "web.users.disabled", lang))
        console().print(table)


@users_app.command("password")
def users_password(
    name: Annotated[str, typer.Argument(help="用户名 / user name")],
    password_stdin: PasswordStdinOpt = False,
    db: DbOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """修改用户密码（并结束其所有会话）。Change a user's password (ending their sessions)."""
    _web(lang)
    from ..web.accounts import AccountError, set_password

    store = open_store(db, lang)
    with guarded(store, lang):
        try:
            set_password(store.engine, name, _password(password_stdin, lang))
        except AccountError as exc:
            fail(t(exc.key, lang, **exc.args_))
        say(t("web.users.password_set", lang, name=name))


@users_app.command("token")
def users_token(
    name: Annotated[str, typer.Argument(help="用户名 / user name")],
    label: Annotated[str, typer.Option("--name", help="令牌名称 / token name")] = "cli",
    db: DbOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """为用户生成 API 令牌（只显示一次）。Create an API token for a user (shown once)."""
    _web(lang)
    from ..web.accounts import add_token, user_by_name

    store = open_store(db, lang)
    with guarded(store, lang):
        user = user_by_name(store.engine, name)
        if user is None:
            fail(t("web.users.unknown", lang, name=name))
        print(add_token(store.engine, user.id, label))
