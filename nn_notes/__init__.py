"""Build code of the Neural Networks Interview Notes site (the map is in CONTRIBUTING.md).

  content   the content schema: page skeleton, front matter, embeds, snippet discovery
  checks    page checks before a build: front matter and embeds, named by file and line
  generate  the generation step: demos' outputs and generated pages, without MkDocs
  runner/   executes the demos under snippets/ and publishes their outputs to docs/generated
  pages/    pages generated from the others: question bank, contributing page, build report
  plugin/   the MkDocs plugin nn-notes and one module per feature it drives
  zensical_build  the second build: the same site with Zensical, into site-zensical/
  tools/    developer tools, never imported by the build: scaffold, benchmark, reports
"""
