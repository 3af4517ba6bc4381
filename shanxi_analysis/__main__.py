"""``python -m shanxi_analysis report ...``: see :mod:`shanxi_analysis.cli`."""

from .cli import command

if __name__ == "__main__":
    command()
