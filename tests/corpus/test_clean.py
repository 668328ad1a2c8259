from __future__ import annotations

import json
from importlib import resources

import pytest

from framewatch.corpus import Cleaner, clean_text
from framewatch.corpus.clean import normalise_text

RULES = json.loads(resources.files("framewatch.corpus").joinpath("data/furniture.json").read_text("utf-8"))["rules"]


@pytest.mark.parametrize("rule", RULES, ids=[r["name"] for r in RULES])
def test_every_rule_removes_its_example(rule: dict) -> None:
    story = "The Home Office said the first returns would take place within days."
    result = clean_text(f"{story}\n{rule['example']}\n{story} Officials confirmed it.")
    kept = rule.get("expect")
    expected = f"{story}\n{kept}\n{story} Officials confirmed it." if kept else f"{story}\n{story} Officials confirmed it."
    assert result.text == expected
    assert rule["name"] in {name for name, _ in result.removed}


@pytest.mark.parametrize(("text", "expected"), [
    # credits go, the caption words stay (they can carry reported speech)
    ("The Prime Minister has insisted that the UK-France migrant deal is working (Image: Getty)",
     "The Prime Minister has insisted that the UK-France migrant deal is working"),
    ("A group of people are brought in to Dover on July 11 (Picture: PA)\nMore text here.",
     "A group of people are brought in to Dover on July 11\nMore text here."),
    ("Migrants arrive in Dover (Photo: Claudia Greco/PA)", "Migrants arrive in Dover"),
    # a sentence that merely mentions signing up or reading more is kept
    ("Some 200 people have signed up to the scheme, and more are expected to sign up to it this week.",
     "Some 200 people have signed up to the scheme, and more are expected to sign up to it this week."),
    ("Read more about the treaty in the government's factsheet, published today alongside a long "
     "explanation of the legal basis, the safeguards for the people returned, the costs of the pilot, "
     "the role of the French police, and the timetable for the first flights, which ministers say will "
     "be announced when the operational plans are complete and the courts have ruled on the challenges.",
     "Read more about the treaty in the government's factsheet, published today alongside a long "
     "explanation of the legal basis, the safeguards for the people returned, the costs of the pilot, "
     "the role of the French police, and the timetable for the first flights, which ministers say will "
     "be announced when the operational plans are complete and the courts have ruled on the challenges."),
    ("Shares in the ferry company fell.", "Shares in the ferry company fell."),
    ("By the end of the year, 94 people had been returned.", "By the end of the year, 94 people had been returned."),
])
def test_keeps_the_words(text: str, expected: str) -> None:
    assert clean_text(text).text == expected


def test_repeated_lines_are_kept_once() -> None:
    headline = "Germany to examine asylum processing in third countries"
    text = f"{headline}\nThe interior ministry will report by June.\n{headline}\nShort\nShort"
    result = clean_text(text)
    assert result.text == f"{headline}\nThe interior ministry will report by June.\nShort\nShort"
    assert result.removed == (("repeated_line", headline),)
    assert result.summary() == "removed furniture: repeated_line x1"


def test_normalisation_keeps_offsets_close() -> None:
    text = "36\u00a0816 people\u200b crossed.\r\nSecond\u2028line"
    assert normalise_text(text) == "36 816 people crossed.\nSecond\nline"


def test_blank_runs_collapse_and_edges_are_trimmed() -> None:
    assert clean_text("\n\nOne.\n\n\n\n\nTwo.   \n\n").text == "One.\n\nTwo."


def test_custom_rules_file(tmp_path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"rules": [{"name": "promo", "scope": "line", "pattern": "download our app.*"}]}))
    cleaner = Cleaner.from_file(path)
    assert cleaner.clean("Story.\nDownload our app now\nEnd.").text == "Story.\nEnd."


def test_bad_rule_scope(tmp_path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"rules": [{"name": "x", "scope": "page", "pattern": "x"}]}))
    with pytest.raises(ValueError, match="furniture rule 'x': scope must be 'line' or 'inline'"):
        Cleaner.from_file(path)
