#!/usr/bin/env python3
"""Build tradegap's shipped dataset (the tidy files in data/) from the raw sources.

Usage:  python data/build.py [--sources DIR] [--out DIR]

Defaults: sources = ../shared/sources next to the repository, out = the directory of
this script (data/). The work is done by the package tui.pipeline (parsers, curation
data, assembly, checks, writing, SOURCES.md); this script is its entry point and
always uses the tui package of the checkout it sits in.

If any check fails the build prints one line per failure on stderr, writes nothing
and exits with status 1. Otherwise every file is written in full to a temporary
folder in the output directory, then moved into place.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # this checkout's tui, whatever else is installed

from tui.pipeline.build import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(default_sources=HERE.parents[1] / "shared" / "sources", default_out=HERE))
