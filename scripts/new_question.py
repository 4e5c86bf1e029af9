"""`python scripts/new_question.py --help`: the question scaffold (nn_notes.tools.new_question)."""

import sys

from nn_notes.tools.new_question import main

sys.exit(main())
