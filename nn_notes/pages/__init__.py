"""Pages generated from the others and from the build: question bank, contributing, build report."""
