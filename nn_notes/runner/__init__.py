"""Executes the demo snippets under snippets/ and publishes their output for the site.

Modules, from the one that drives the others, in the order data flows through them:
  runner    decides what runs (cache key), then schedules and publishes
  snippets  find snippets, split them into cells, compute their cache keys
  scheduler forks the children, enforces timeouts, collects results (no pages)
  child     the target each forked child starts in (kept free of imports)
  worker    runs one snippet in a forked child (fresh state, capture, figures)
  sandbox   what contains a child: Landlock, subreaper, rlimits, descendants
  figures   site style and the light/dark SVG variants of a figure
  cache     content-addressed, verified cache entries and atomic file writes
  publish   writes docs/generated from the results, renders and memoises notebooks
  render    a result -> the Markdown fragment and the notebooks a page embeds
  cli       the command line: `python scripts/run_snippets.py`
Pages and demos are found through nn_notes.content; nothing here imports MkDocs.
"""
