"""Executes the demo snippets under snippets/ and renders their output for the site.

Modules, in the order data flows through them:
  snippets  find snippets, split them into cells, compute their cache keys
  worker    runs one snippet in a forked child (fresh state, capture, figures)
  figures   site style and the light/dark SVG variants of a figure
  scheduler forks the children, enforces timeouts, collects results (no pages)
  cache     content-addressed, verified cache entries and atomic file writes
  render    a result -> the Markdown fragment and the notebook a page embeds
  publish   writes docs/generated from the results, renders and memoises notebooks
  runner    decides what runs (cache key), then schedules and publishes
  cli       the command line: `python scripts/run_snippets.py`
Pages and demos are found through nn_notes.content; nothing here imports MkDocs.
"""
