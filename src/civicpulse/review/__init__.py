"""Reviews: how every body's official pages changed between two dates, with a publishable paragraph per body.

``civicpulse review --from DATE --to DATE`` is the yearly review journalists and press services
write by hand (seed document 001: a newspaper's review of every ministry's Facebook page), written
from the data in the reader's language.

Modules: ``scope`` (the days, the bodies, each page's own days), ``queries`` (Ibis expressions over
the lake), ``facts`` (per page) and ``entities`` (per body: pages together, platforms, growth
places), ``numbers`` (numbers and dates as the press prints them, per language), ``text`` (the
paragraphs and the lead, from the catalogue's templates), ``build`` (the whole review) and
``render`` (table, JSON, Markdown, HTML and XLSX).
"""
