"""Badge service: Step 1 and Step 2 badges, their expiry and renewal, signed verification.

``rules`` holds the pure domain (no AWS): levels, earning, validity dates, the renewal rule.
``view`` is what a badge shows the world (a partner's facts) and the URLs of its public pieces.
``credential`` builds its Open Badges 3.0 credential and VC-JWT (RS256, signer given).
``image`` draws it as an accessible SVG that says plainly when it is not active.
``page`` renders the verify page a browser gets and the embed snippet programs paste.
"""
