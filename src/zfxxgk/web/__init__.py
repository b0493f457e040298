"""The web application (issue 10): an office's reviewers and its bodies' submitters on top of the store.

One application object (`app.create_app`), views by resource (`views/` for pages, `api/` for `/api/v1`),
templates and static files inside the package (no CDN, no build step). See docs/web.md.
"""
