"""Certificates signed by the course provider: issue them from cohort results, check them.

A pipeline you can read as a list: results (:mod:`.results`) → signed claims (:mod:`.claims`,
:mod:`.keys`) → PDF (:mod:`.document`) → check (:mod:`.verify`); the static verification page is
:mod:`.page`, the command line :mod:`.cli`. See docs/certificates.md.
"""
