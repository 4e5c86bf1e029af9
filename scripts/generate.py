"""`python scripts/generate.py --help`: the generation step, without MkDocs (nn_notes.generate)."""

import sys

from nn_notes.generate import main

sys.exit(main())
