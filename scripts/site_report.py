"""`python scripts/site_report.py --help`: the built site's weight and accessibility report (nn_notes.tools.site_report)."""

import sys

from nn_notes.tools.site_report import main

sys.exit(main())
