"""`paragraph_sentences`: a sentence never runs across a line break (runs inside `nlp.pipe`, before the parser).

News copies put headlines, captions and paragraphs on their own lines, often without final
punctuation; the small English parser then merges them into one sentence, which corrupts
subjects, reported clauses and the `sentence` evidence of every later result. This component
runs before the parser and marks the first token after a line break as a sentence start (the
parser keeps boundaries that are already set).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("paragraph_sentences", assigns=["token.is_sent_start"])
def paragraph_boundaries(doc: Doc) -> Doc:
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text_with_ws or (tok.is_space and "\n" in tok.text):
            nxt = doc[i + 1]
            if not nxt.is_space:
                nxt.is_sent_start = True
    return doc
