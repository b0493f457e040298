"""What the web pages and the `users`/`serve` commands say, in Chinese and English.

Registered into the one catalogue of `zfxxgk.i18n` on import, so `t("web.…", lang)` works everywhere.
Each part of the application keeps its strings in its own block below.
"""

from __future__ import annotations

from ..i18n import MESSAGES

WEB: dict[str, dict[str, str]] = {
    # ---- core: layout, login, accounts, errors (app.py, deps.py, views/auth.py, views/admin.py, cli/web.py)
    "web.app": {"zh": "政府信息公开工作年度报告审核", "en": "Annual disclosure report review"},
    "web.nav.reports": {"zh": "报告", "en": "Reports"},
    "web.nav.upload": {"zh": "上传", "en": "Upload"},
    "web.nav.jobs": {"zh": "处理记录", "en": "Jobs"},
    "web.nav.users": {"zh": "用户", "en": "Users"},
    "web.nav.account": {"zh": "我的账户", "en": "My account"},
    "web.nav.logout": {"zh": "退出", "en": "Log out"},
    "web.nav.lang": {"zh": "English", "en": "中文"},
    "web.role.admin": {"zh": "管理员", "en": "admin"},
    "web.role.reviewer": {"zh": "审核人员", "en": "reviewer"},
    "web.role.submitter": {"zh": "报送单位", "en": "submitter"},
    "web.login.title": {"zh": "登录", "en": "Log in"},
    "web.login.name": {"zh": "用户名", "en": "User name"},
    "web.login.password": {"zh": "密码", "en": "Password"},
    "web.login.submit": {"zh": "登录", "en": "Log in"},
    "web.login.failed": {"zh": "用户名或密码不正确", "en": "wrong user name or password"},
    "web.login.locked": {
        "zh": "登录失败次数过多，请 {minutes} 分钟后再试",
        "en": "too many failed logins; try again in {minutes} minutes",
    },
    "web.csrf": {
        "zh": "表单已过期或来源不明（缺少有效的 CSRF 令牌），请刷新页面后重试",
        "en": "the form has expired or did not come from this site (no valid CSRF token); reload the page and try again",
    },
    "web.error.404": {"zh": "未找到该页面或您无权查看", "en": "not found, or not yours to see"},
    "web.error.403": {"zh": "您的账户无权执行此操作", "en": "your account may not do this"},
    "web.error.401": {"zh": "请先登录", "en": "please log in"},
    "web.error.413": {"zh": "上传内容过大", "en": "the upload is too large"},
    "web.error.back": {"zh": "返回首页", "en": "back to the start page"},
    "web.users.title": {"zh": "用户管理", "en": "Users"},
    "web.users.add": {"zh": "新建用户", "en": "Add a user"},
    "web.users.role": {"zh": "角色", "en": "Role"},
    "web.users.region": {"zh": "区划代码（审核人员）", "en": "Region code (reviewer)"},
    "web.users.body": {"zh": "机关编号（报送单位）", "en": "Body id (submitter)"},
    "web.users.scope": {"zh": "范围", "en": "Scope"},
    "web.users.active": {"zh": "状态", "en": "Status"},
    "web.users.enabled": {"zh": "启用", "en": "active"},
    "web.users.disabled": {"zh": "停用", "en": "disabled"},
    "web.users.disable": {"zh": "停用", "en": "Disable"},
    "web.users.enable": {"zh": "启用", "en": "Enable"},
    "web.users.created": {"zh": "已创建用户 {name}（{role}）", "en": "user {name} created ({role})"},
    "web.users.bad_name": {"zh": "用户名不能为空，且不超过 80 个字符", "en": "the user name must be 1 to 80 characters"},
    "web.users.bad_role": {"zh": "角色“{role}”无效，应为 {roles}", "en": "invalid role '{role}'; use one of {roles}"},
    "web.users.short_password": {"zh": "密码至少 {n} 个字符", "en": "the password needs at least {n} characters"},
    "web.users.needs_region": {"zh": "审核人员需要指定区划（--region 区划代码）",
                               "en": "a reviewer needs a region (--region CODE)"},
    "web.users.needs_body": {"zh": "报送单位需要指定机关（--body 机关编号或名称）",
                             "en": "a submitter needs a body (--body ID or name)"},
    "web.users.no_region": {"zh": "区划代码 {code} 不存在", "en": "no region with code {code}"},
    "web.users.no_body": {"zh": "机关 {body} 不存在（可用 zfxxgk bodies 查看）",
                          "en": "no body {body} (see zfxxgk bodies)"},
    "web.users.exists": {"zh": "用户 {name} 已存在", "en": "the user {name} exists already"},
    "web.users.unknown": {"zh": "用户 {name} 不存在", "en": "no user {name}"},
    "web.users.password_prompt": {"zh": "密码", "en": "Password"},
    "web.users.password_set": {"zh": "已更新 {name} 的密码", "en": "password of {name} changed"},
    "web.users.none": {"zh": "还没有用户；用 zfxxgk users add 创建", "en": "no users yet; create one with zfxxgk users add"},
    "web.account.title": {"zh": "我的账户", "en": "My account"},
    "web.account.tokens": {"zh": "API 令牌（供脚本使用）", "en": "API tokens (for scripts)"},
    "web.account.token_name": {"zh": "令牌名称", "en": "Token name"},
    "web.account.new_token": {"zh": "生成令牌", "en": "Create a token"},
    "web.account.token_once": {
        "zh": "新令牌（只显示这一次，请妥善保存）：",
        "en": "the new token (shown only this once; keep it safe):",
    },
    "web.account.token_usage": {"zh": "用法：请求头 Authorization: Bearer 令牌",
                                "en": "use: header Authorization: Bearer TOKEN"},
    "web.serve.listening": {"zh": "zfxxgk 网页服务：http://{host}:{port}/ （数据库 {db}）",
                            "en": "zfxxgk web application: http://{host}:{port}/ (database {db})"},
    "web.serve.needs_extra": {"zh": "网页服务需要可选组件：pip install 'zfxxgk[web]'（缺少 {module}）",
                              "en": "the web application needs an extra: pip install 'zfxxgk[web]' ({module} is missing)"},
    "web.col.name": {"zh": "名称", "en": "Name"},
    "web.col.created": {"zh": "创建时间", "en": "Created"},
    # ---- reports: list, report page, findings, review, downloads (views/reports.py, api/reports.py)
    # ---- uploads and jobs (uploads.py, jobs.py, views/uploads.py, api/jobs.py)
}

MESSAGES.update(WEB)
