"""The Python side of the validator, one module per responsibility (see analyzer.py)."""
