"""`python -m xhs_extract` runs the command-line tool."""

from xhs_extract.cli import main

main()
