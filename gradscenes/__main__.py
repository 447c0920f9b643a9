"""``python -m gradscenes``: the same as the ``gradscenes`` command."""

import sys

from gradscenes.cli import main

sys.exit(main())
