"""The benchmark: a seeded synthetic corpus (`bench.corpus`) and the harness that times the
pipeline against it (`python -m bench.run`, or `make bench`).

Nothing here is imported by the pipeline; generated documents live in temporary folders only.
"""
