"""The command line: click commands only, each a few lines over the library."""

from worksheet.cli.main import main

__all__ = ["main"]
