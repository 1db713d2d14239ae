"""Runs one user app: `python runner/entrypoint.py` (see CONTRACT.md for the environment it reads)."""
from _platform_runner.main import main

if __name__ == "__main__":
    main()
