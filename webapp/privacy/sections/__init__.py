"""The sections of a citizen's insight package, one module per feature (webapp/privacy/registry.py).
Importing this package registers them all."""

from . import (  # noqa: F401
    access,
    documentation,
    handover,
    messages,
    outcomes,
    outreach,
    plans,
    register,
    requests,
    volunteers,
)
