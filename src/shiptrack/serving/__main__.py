"""``python -m shiptrack.serving``: see ``shiptrack.serving.main``."""

from shiptrack.serving import main

main()
