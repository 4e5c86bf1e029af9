"""`python scripts/run_snippets.py --help`: the demo runner (nn_notes.runner.cli)."""

import sys

from nn_notes.runner.cli import main

sys.exit(main())
