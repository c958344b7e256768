"""A linear model over named features, as plain data: what the fitted scorers are made of."""

from __future__ import annotations

from functools import cached_property

from pydantic import BaseModel


class LinearModel(BaseModel):
    """``intercept + sum(coef[f] * (x[f] - mean[f]) / scale[f])`` over the named features;
    features absent from an input count as 0."""

    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float

    def predict(self, x: dict[str, float]) -> float:
        """The model's output for feature values ``x`` (name -> value)."""
        base, slopes = self._folded
        return base + sum(v * slopes[k] for k, v in x.items() if k in slopes)

    @cached_property
    def _folded(self) -> tuple[float, dict[str, float]]:
        """The same model as a constant plus a slope per feature (standardisation folded in)."""
        base = self.intercept - sum(c * m / s for m, s, c in zip(self.mean, self.scale, self.coef))
        return base, {n: c / s for n, s, c in zip(self.features, self.scale, self.coef) if c}
