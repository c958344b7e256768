"""interviewer: an AI mock interviewer for Netflix-style loops, with rubric-based scoring.

The grading core (rubrics, detectors, scoring, session, storage, batch) imports neither
Textual nor Rich; the TUI (:mod:`interviewer.tui`) and the CLI (:mod:`interviewer.cli`) only
render what the core returns.
"""

__version__ = "0.1.0"
