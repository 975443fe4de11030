"""`python3 -m ssbench`: the benchmark matrix into a run folder (ssbench/cli.py)."""
import sys

from ssbench import cli

sys.exit(cli.main())
