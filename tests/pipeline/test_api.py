"""The library API (pipeline/api.py): the same run as the CLI, into pandas DataFrames."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

import badfiles
from conftest import RAW, TABLE_SEED
from goldcheck import read_gold
from chitieu.pipeline.api import CorrectionsError, UsageError, extract_file, extract_folder


def test_a_folder_into_dataframes(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copyfile(RAW / f"{TABLE_SEED}.txt", raw / "plan.txt")
    badfiles.empty(raw / "empty.pdf")
    result = extract_folder(raw)
    assert isinstance(result.targets, pd.DataFrame) and len(result.targets) == len(read_gold(TABLE_SEED))
    assert list(result.documents["source"]) == ["empty.pdf", "plan.txt"]
    assert list(result.failed["source"]) == ["empty.pdf"]
    assert result.failed["error"].iloc[0].startswith("empty.pdf: the file is empty")
    assert result.summary.failed == 1


def test_one_file_into_dataframes():
    result = extract_file(RAW / f"{TABLE_SEED}.docx")
    assert len(result.targets) == len(read_gold(TABLE_SEED))
    assert result.documents["status"].tolist() == ["ok"]
    seen, read = result.documents[["numbers_seen", "numbers_read"]].iloc[0]
    assert isinstance(result.left_out, pd.DataFrame) and len(result.left_out) == seen - read
    assert {"verdict", "stated_verdict"} <= set(result.scorecard.columns)
    assert len(result.indicators) >= len(result.targets.dropna(subset=["indicator_id"])["indicator_id"].unique())


def test_the_cli_errors_are_raised(tmp_path):
    with pytest.raises(UsageError, match="does not exist"):
        extract_folder(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="holds no documents"):
        extract_folder(tmp_path / "empty")
    with pytest.raises(UsageError, match="does not exist"):
        extract_file(tmp_path / "nowhere.docx")
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copyfile(RAW / f"{TABLE_SEED}.txt", raw / "plan.txt")
    (raw / "corrections.csv").write_text("source,seq,name,field,value,note\nplan.txt,1,X,colour,red,\n",
                                         encoding="utf-8")
    with pytest.raises(CorrectionsError, match="unknown field 'colour'"):
        extract_folder(raw)
