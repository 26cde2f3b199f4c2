"""Enrichment: stages that add columns to posts (language, mentions, and whatever plugins add).

- :mod:`~civicpulse.enrich.stage`: the stage contract and the standard output columns;
- :mod:`~civicpulse.enrich.pipeline`: installed stages, checked and ordered by dependency;
- :mod:`~civicpulse.enrich.run`: ``civicpulse enrich``, incremental, one lake batch per stage;
- :mod:`~civicpulse.enrich.read`: the latest results per post as Ibis tables, flags merged;
- :mod:`~civicpulse.enrich.language`, :mod:`~civicpulse.enrich.mentions`: the built-in stages;
- :mod:`~civicpulse.enrich.evaluate`: ``civicpulse eval`` on the shipped labelled corpus.
"""
