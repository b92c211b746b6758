"""The stages of one proxied call, in the order :mod:`proxy.call.pipeline` runs them: canonical
path, request body, authentication, routing, admission (limits, budgets), inspection, relay,
record."""
