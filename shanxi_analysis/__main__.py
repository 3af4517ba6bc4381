"""``python -m shanxi_analysis report ...``: see :mod:`shanxi_analysis.cli`."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
