"""tradegap's data pipeline: from Census and USITC files to the dataset the app reads.

Plain Python and pandas; never imports Textual. The modules, in the order a
build runs them:

- sources: the raw source files a build reads, and SourceError
- parsers: one function per raw format (country CSV and JSON, partner lists,
  HS chapter imports, DataWeb exports)
- curation: the facts written by hand (display names, blocs, Census
  aggregates, chapter names, known differences), loaded from curation/
- assemble: the tables of the dataset, in exact integer units
- checks: the validation checks, each a named function
- period_totals: the totals per period and code that the first screen ranks
- write: the files' text, and writing a whole dataset atomically
- report: SOURCES.md, rendered from templates/SOURCES.md.tmpl
- build: the build from the raw sources (data/build.py is its entry point)
"""
