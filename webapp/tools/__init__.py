"""Tools around the app, never on the request path: the demo data (`flask demo-data`, and the
tests' `demo` fixture) and the benchmark (`flask bench`). Only webapp/cli.py imports them, inside
its commands; a test checks that no other module under webapp/ does."""
