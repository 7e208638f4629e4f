"""tradegap's benchmark suite: `python -m benchmarks` (install with `pip install '.[bench]'`).

It times the real programs in real terminals (tmux) against VisiData and a
Textual hello-world, and the domain layer on synthetic data up to 1000x the
real size; see README.md's Performance section and benchmarks/results.md.
"""
