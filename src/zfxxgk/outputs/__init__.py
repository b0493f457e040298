"""Outputs a disclosure office uses: review pages, exports, forms and generated reports."""
