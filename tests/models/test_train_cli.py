"""`framewatch train` and `framewatch evaluate` on a small labels file, with every model kind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from framewatch.cli import app

from .test_stance import TRAIN

runner = CliRunner()


@pytest.fixture()
def labels(tmp_path: Path) -> Path:
    path = tmp_path / "labels.csv"
    TRAIN.assign(voice="government", kind="direct").to_csv(path, index=False)
    return path


def test_train_and_evaluate_tfidf(labels: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.skops"
    result = runner.invoke(app, ["train", str(labels), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Cross-validated" in result.stdout and out.exists()
    card = json.loads(out.with_suffix(".json").read_text())
    assert card["kind"] == "tfidf" and card["rows"] == len(TRAIN) and "macro_f1" in card["cross_validation"]
    result = runner.invoke(app, ["evaluate", str(labels), "--model", str(out)])
    assert result.exit_code == 0 and "macro-F1" in result.stdout


def test_train_finetuned_on_a_tiny_model(labels: Path, tmp_path: Path, tiny_transformer: Path) -> None:
    out = tmp_path / "ft.skops"
    result = runner.invoke(app, ["train", str(labels), "--kind", "finetuned", "--embedding-model", str(tiny_transformer),
                                 "--folds", "2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.with_suffix(".json").read_text())["kind"] == "finetuned"
    result = runner.invoke(app, ["evaluate", str(labels), "--model", str(out)])
    assert result.exit_code == 0 and "macro-F1" in result.stdout


def test_unknown_kind_is_a_clear_error(labels: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", str(labels), "--kind", "bert", "-o", str(tmp_path / "x.skops")])
    assert result.exit_code == 2
    assert "unknown --kind 'bert'" in result.stderr and "finetuned" in result.stderr
