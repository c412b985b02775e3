"""Review service: the affiliate's queue, per-item review, the review meeting and its completion.

``rules`` holds the pure domain (no AWS); ``calendar`` renders the meeting invite (RFC 5545).
"""
