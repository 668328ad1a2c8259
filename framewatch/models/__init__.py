"""Stage 3: stance toward the deal and framing, as scikit-learn estimators and a spaCy component.

>>> from framewatch.models import TfidfStanceClassifier, read_labels, cross_validate
>>> df = read_labels("labels.csv")                                  # doctest: +SKIP
>>> print(cross_validate(TfidfStanceClassifier(), df))             # doctest: +SKIP
"""

from __future__ import annotations

from framewatch.models.articles import ArticleStanceClassifier
from framewatch.models.deals import DealGuess, deal_labels, detect_deal, known_deals
from framewatch.models.finetune import FineTunedStanceClassifier
from framewatch.models.frames import FRAMES, FrameClassifier, FrameScore
from framewatch.models.io import load_model, model_card, save_model
from framewatch.models.stance import LABELS, EmbeddingStanceClassifier, HybridStanceClassifier, TfidfStanceClassifier
from framewatch.models.train import Score, cross_validate, read_labels, score
from framewatch.models.zeroshot import NLIStanceClassifier

__all__ = [
    "FRAMES", "LABELS", "ArticleStanceClassifier", "DealGuess", "EmbeddingStanceClassifier", "FineTunedStanceClassifier",
    "FrameClassifier", "FrameScore", "HybridStanceClassifier", "NLIStanceClassifier", "Score",
    "TfidfStanceClassifier", "cross_validate", "deal_labels", "detect_deal", "known_deals", "load_model",
    "model_card", "read_labels", "save_model", "score",
]
