"""Entry point for gunicorn (`gunicorn wsgi:app`) and the flask CLI (`flask --app wsgi ...`)."""

import gc

from webapp import create_app

app = create_app()

# Everything alive after start-up (modules, templates, fonts, mappers) lives as long as the worker:
# keep it out of the cyclic garbage collector's full passes, which otherwise rescan it and add
# 100+ ms pauses to an unlucky request.
gc.collect()
gc.freeze()
