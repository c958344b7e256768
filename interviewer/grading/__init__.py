"""The grading pipeline: an answer and the question it answers flow once through stages, each in
one module whose input and output are plain data.

1. :mod:`.read` - read the answer (sentences, text addressed to the grader blanked)
2. :mod:`.evidence` - detectors, one module per family, find the spans that show each signal
3. :mod:`.features` - the evidence as numbers, per criterion
4. :mod:`.model` - the fitted scorer (weights as plain JSON, fitted by :mod:`.fit`)
5. :mod:`.score` - criterion scores with their quotes and reasons, the overall, the flags

:class:`OfflineGrader` runs them; it imports no UI library.
"""

from interviewer.grading.score import OfflineGrader

__all__ = ["OfflineGrader"]
