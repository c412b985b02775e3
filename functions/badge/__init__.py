"""Badge service: Step 1 and Step 2 badges, their expiry and renewal, signed verification.

``rules`` holds the pure domain (no AWS): levels, earning, validity dates, the renewal rule.
"""
