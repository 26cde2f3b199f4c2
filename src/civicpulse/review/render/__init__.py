"""Writing a review as a terminal table, JSON, a Markdown or HTML article, or an XLSX workbook.

``view`` lays the review out once (headings and cells as text, the chart's geometry) for the
Markdown, HTML and table renderers; ``as_json`` and ``as_xlsx`` write the facts' own numbers.
"""
