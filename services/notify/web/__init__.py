"""The alert console: a read-only page and JSON/SSE endpoints over what is in Redis.

It reads the events, ops, dead-letter and destination-state keys and never writes; it does
not depend on notify's pipeline. ``routes.console_setup`` wires it into a service's app.
"""
