"""Developer tools, each behind a command in scripts/; the build never imports them."""
