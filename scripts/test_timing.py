"""`python scripts/test_timing.py --help`: the test suite's timing from a fresh clone (nn_notes.tools.suite_timing)."""

import sys

from nn_notes.tools.suite_timing import main

sys.exit(main())
