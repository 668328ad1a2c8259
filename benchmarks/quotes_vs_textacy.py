"""Framewatch quotes vs textacy's `direct_quotations`, on the same articles, same scorer.

    .venv/bin/python benchmarks/quotes_vs_textacy.py GOLD_DIR [--scorer PATH] [--out DIR]

Each gold article is parsed once with `framewatch.nlp.load()` plus `framewatch_quotes`; textacy
(`textacy.extract.triples.direct_quotations`, a benchmark-only dependency: `pip install
textacy`) runs on the same parsed Doc. Both outputs are written as prediction JSON Lines and
scored by the shared scorer (`shared/eval/score.py`, run as a subprocess, unchanged), and the
quote metrics are printed side by side. textacy finds direct quotes only, so its indirect score
is 0 by construction.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_SCORER = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score.py"
METRICS = ("quotes_prf", "quotes_f1", "quote_speaker_accuracy", "quotes_attributed_prf",
           "quotes_attributed_f1", "indirect_prf", "indirect_f1")
_MARKS = "\"'“”‘’«»„`"


def _textacy_quotes(doc) -> list[dict]:  # type: ignore[no-untyped-def]
    from textacy.extract.triples import direct_quotations

    out = []
    try:
        for dq in direct_quotations(doc):
            text = dq.content.text.strip().strip(_MARKS).strip()
            speaker = " ".join(t.text for t in dq.speaker) or None
            out.append({"text": text, "speaker": speaker, "kind": "direct",
                        "cue": " ".join(t.text for t in dq.cue)})
    except ValueError:  # textacy bails out on an odd number of marks; count as no quotes
        _FAILED.append(doc)
    return out


_FAILED: list = []


def _score(scorer: Path, gold: Path, pred: Path) -> dict:
    res = subprocess.run([sys.executable, str(scorer), str(gold), str(pred), "--json"],
                         check=True, capture_output=True, text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold_dir", type=Path)
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER, help="path of score.py")
    ap.add_argument("--out", type=Path, help="keep the two prediction files in this folder")
    args = ap.parse_args(argv)
    if not args.scorer.is_file():
        ap.error(f"scorer not found: {args.scorer} (pass --scorer PATH)")
    try:
        import textacy
    except ImportError:
        ap.error("textacy is not installed: `pip install textacy` (benchmark-only dependency)")

    import framewatch.nlp.quotes  # noqa: F401  (registers framewatch_quotes)
    from framewatch.nlp import load

    nlp = load()
    if "framewatch_quotes" not in nlp.pipe_names:
        nlp.add_pipe("framewatch_quotes")
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="fw-quotes-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    fw_path, tx_path = out_dir / "framewatch.jsonl", out_dir / "textacy.jsonl"
    timing = {"framewatch": 0.0, "textacy": 0.0}
    n = 0
    with fw_path.open("w", encoding="utf-8") as fw, tx_path.open("w", encoding="utf-8") as tx:
        for path in sorted(args.gold_dir.glob("*.json")):
            gold = json.loads(path.read_text(encoding="utf-8"))
            t0 = time.perf_counter()
            doc = nlp(gold["text"])
            t1 = time.perf_counter()
            tq = _textacy_quotes(doc)
            t2 = time.perf_counter()
            timing["framewatch"] += t1 - t0
            timing["textacy"] += t2 - t1
            n += 1
            fw.write(json.dumps({"id": gold["id"], "quotes": [q.to_dict() for q in doc._.fw_quotes]},
                                ensure_ascii=False) + "\n")
            tx.write(json.dumps({"id": gold["id"], "quotes": tq}, ensure_ascii=False) + "\n")
    fw_s = _score(args.scorer, args.gold_dir, fw_path)
    tx_s = _score(args.scorer, args.gold_dir, tx_path)
    print(f"{n} articles from {args.gold_dir}; textacy {textacy.__version__} (raised on "
          f"{len(_FAILED)} articles with unbalanced marks, scored as no quotes); predictions in "
          f"{out_dir}")
    print(f"{'metric':26} {'framewatch':>22} {'textacy':>22}")
    for key in METRICS:
        print(f"{key:26} {str(fw_s[key]):>22} {str(tx_s[key]):>22}")
    print(f"{'seconds (whole pipeline / extra)':26} {timing['framewatch']:>16.1f} {timing['textacy']:>22.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
