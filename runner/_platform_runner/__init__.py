"""The FastAPI Platform runner: imports one user project and serves it with uvicorn (CONTRACT.md)."""
