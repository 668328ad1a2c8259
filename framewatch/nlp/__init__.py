"""The nlp stage: people with roles, countries, organisations and figures from article text.

    from framewatch.nlp import load, extract
    nlp = load()
    results = list(extract(nlp, [(text, {"id": "a1"})]))

Components (spaCy factories, added by `load()` in this order): `framewatch_countries`,
`framewatch_organisations`, `framewatch_people`, `framewatch_figures`. Results on the Doc:
`doc._.fw_countries`, `doc._.fw_orgs`, `doc._.fw_people`, `doc._.fw_figures`, and span groups
`doc.spans["fw_countries"]`, `["fw_orgs"]`, `["fw_people"]`, `["fw_figures"]`.
"""

from __future__ import annotations

from ._types import Mention
from .countries import Country, find_countries
from .organisations import Organisation, find_organisations
from .people import Person, find_people
from .pipeline import PIPELINE_VERSION, SCHEMA_PATH, Extraction, clean_text, extract, load

__all__ = [
    "PIPELINE_VERSION", "SCHEMA_PATH", "Country", "Extraction", "Mention", "Organisation",
    "Person", "clean_text", "extract", "find_countries", "find_organisations", "find_people",
    "load",
]
