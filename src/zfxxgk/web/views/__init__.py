"""HTML pages, one module per resource; each has a `router` that app.py includes."""
