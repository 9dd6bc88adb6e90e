"""The trainer's workshop kit: a presentation view for the projector (one post or situation per
screen, verdict revealed on demand), sessions the trainer builds and saves, the debrief deck the
cohort command writes, and the printable guide and handouts.

- :mod:`course.workshop.slides`: what one screen shows (built from posts, situations, notes).
- :mod:`course.workshop.sessions`: a session (a named, ordered choice of items) as validated data:
  ready-made ones in ``course/content/sessions.yaml``, the trainer's own in the course's user
  folder.
- :mod:`course.workshop.deck`: one self-contained HTML file (no network) that presents slides.
- :mod:`course.workshop.builder`: the page to filter, pick, order and save a session.
- :mod:`course.workshop.printables`: the facilitator's guide and the handouts as PDFs.
- ``python -m course.workshop``: the same from a terminal (list, present, print).
"""
