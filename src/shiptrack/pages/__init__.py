"""Tracking pages for end customers: ``/track/{token}``, server-rendered, no script.

``web.py`` serves the page, its logo and its stylesheet; ``api.py`` the shiptrack-extension
endpoints (a tracker's page link, the account's branding); ``links.py`` the tokens;
``view.py`` what a page shows, from the tracker's stored results read through the trackers
service; ``i18n.py`` and ``translations/`` the languages; ``branding.py`` the account's look.
See docs/tracking-pages.md and docs/decisions/0018-tracking-pages.md.
"""
