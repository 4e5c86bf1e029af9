"""`python scripts/bench.py --help`: the build benchmark (nn_notes.tools.bench)."""

import sys

from nn_notes.tools.bench import main

sys.exit(main())
