"""The operator console at ``/console``: an account's operators see and act on its trackers,
webhooks and health in server-rendered pages (Jinja2, no CDN, no third-party request).

``web.py`` mounts the routes; ``sessions.py`` signs operators in with the account's API key
(a server-side session behind an HttpOnly, SameSite=Strict cookie, Secure over TLS) and checks
the CSRF token of every form; ``render.py`` renders pages with their security headers;
``services.py`` is the one place reading what the console needs from the application.
The pages: ``trackers.py`` (list, search, filters, a tracker with its diagnostics and
webhook messages, resend), ``imports.py`` (CSV imports with their progress), ``webhooks.py``
(endpoint settings, delivery log, secret rotation), ``health.py`` (the figures of /metrics
for people) and ``charts.py`` (SVG charts drawn on the server). Every read and write goes
through the features' services. See docs/console.md and docs/decisions/0017-operator-console.md.
"""
