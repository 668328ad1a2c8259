"""Near-duplicate detection: MinHash over word shingles, banded LSH, exact Jaccard check.

Syndicated wire copies differ by a headline, a byline or a trimmed last paragraph; MinHash over
word 5-shingles sees through that. Signatures are banded (16 bands of 8 rows: pairs above about
0.7 similarity collide in some band) so candidates come from an index lookup, and every candidate
is then confirmed on the whole signature against `threshold` (default 0.8).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from framewatch.corpus.article import normalise_for_hash

NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE = 5
MIN_SHINGLES = 8  # shorter texts are only matched exactly: a few shared words mean nothing
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Signature:
    values: np.ndarray  # uint64[NUM_PERM]

    def bands(self) -> list[tuple[int, int]]:
        """(band number, bucket) pairs: the LSH keys under which this signature is indexed."""
        out = []
        for b in range(BANDS):
            chunk = self.values[b * ROWS:(b + 1) * ROWS].tobytes()
            out.append((b, int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little")))
        return out

    def similarity(self, other: Signature) -> float:
        """Estimated Jaccard similarity of the two shingle sets."""
        return float(np.mean(self.values == other.values))

    def to_bytes(self) -> bytes:
        return self.values.astype("<u8").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        return cls(np.frombuffer(data, dtype="<u8").copy())


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    words = _WORD.findall(normalise_for_hash(text))
    return {" ".join(words[i:i + k]) for i in range(max(0, len(words) - k + 1))}


def signature(text: str) -> Signature | None:
    """The MinHash signature of `text`, or None when it is too short to compare fuzzily."""
    sh = shingles(text)
    if len(sh) < MIN_SHINGLES:
        return None
    # crc32 is a stable (unsalted) 32-bit hash, several times faster than datasketch's sha1 default
    m = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=zlib.crc32)
    m.update_batch([s.encode("utf-8") for s in sh])
    return Signature(m.hashvalues.astype(np.uint64))
