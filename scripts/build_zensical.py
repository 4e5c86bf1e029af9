"""`python scripts/build_zensical.py`: the site built with Zensical into site-zensical/ (nn_notes.zensical_build)."""

import sys

from nn_notes.zensical_build import main

sys.exit(main())
