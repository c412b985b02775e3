"""Plan service: the Improvement and Innovation Plan of a cycle, its goals and their progress.

``rules`` holds the pure domain (no AWS); ``logic`` the use cases; ``handler`` the routes.
"""
