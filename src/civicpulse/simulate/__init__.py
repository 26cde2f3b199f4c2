"""Simulated activity for a registry: the demo data, benchmark inputs and evaluation ground truth.

``civicpulse simulate`` adds synthetic accounts (``simulated: true``) to a registry, then writes weeks
of activity for them straight into the lake (a batch marked simulated) or into a canonical JSONL
file: follower snapshots, official posts with heavy-tailed engagement, citizens' comments and
posts in local groups that mention akimats in Russian and Kazakh, bots, a coordinated
link-sharing campaign, and a follower sample of every head's personal account (``author`` records
with ``follows``, some of them bots). What the generator knows and an analysis should find (which authors are bots,
which share links in concert, which texts mention which entity with which tone) is written to
``<home>/simulated/truth-<seed>.json``.

Modules: ``morph`` (case forms of akimat names), ``texts`` (the ru/kk templates and their vectorised
assembly), ``accounts`` (the simulated registry), ``people`` (citizens, bots, groups), ``activity``
(one day of records as Arrow tables), ``output`` (lake, JSONL and truth writers), ``run`` (the
command).
"""
