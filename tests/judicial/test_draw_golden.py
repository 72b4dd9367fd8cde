"""Golden vectors of the HR-1 draw: fixed inputs give a fixed draw, through the engine and through
the stdlib-only replay script (scripts/replay_draw.py), on every interpreter found here."""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.judicial.golden_cases import GOLDEN, GOLDEN_DIR, SECRET, WITNESSES
from wulian.judicial import draw

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "replay_draw.py"
INTERPRETERS = sorted(
    {
        sys.executable,
        *(p for p in (shutil.which("python3"), "/usr/bin/python3") if p and Path(p).exists()),
    }
)


def golden(name: str) -> dict:
    return json.loads((GOLDEN_DIR / f"{name}.json").read_text(encoding="utf-8"))


def replay(path: Path, *, python: str = sys.executable, pure: bool = False):
    env = {k: v for k, v in os.environ.items() if k != "REPLAY_DRAW_PURE_SM3"}
    if pure:
        env["REPLAY_DRAW_PURE_SM3"] = "1"
    return subprocess.run(  # noqa: S603 — our own script, our own interpreters
        [python, str(SCRIPT), str(path)], capture_output=True, text=True, env=env, timeout=120
    )


def load_script():
    spec = importlib.util.spec_from_file_location("replay_draw", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- fixed values ------------------------------------------------------------------------------


def test_sm3_standard_vectors_in_engine_and_script():
    script = load_script()
    vectors = {
        b"abc": "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
        b"abcd" * 16: "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732",
    }
    for message, digest in vectors.items():
        assert draw.sm3_hex(message) == digest
        assert script.sm3_pure(message).hex() == digest
    for n in (0, 1, 55, 56, 63, 64, 65, 119, 120, 1000):
        data = bytes(range(256)) * 4
        assert script.sm3_pure(data[:n]) == hashlib.new("sm3", data[:n]).digest()


def test_seed_and_rank_key_are_fixed():
    manifest_hash = "00" * 31 + "01"
    s = draw.seed(manifest_hash=manifest_hash, secret=SECRET, witness_inputs=WITNESSES)
    assert s.hex() == (
        hashlib.new(
            "sm3",
            b"\x00\x00\x00\x06HR-1/1"
            + b"\x00\x00\x00\x20"
            + bytes.fromhex(manifest_hash)
            + b"\x00\x00\x00\x20"
            + SECRET
            + b"\x00\x00\x00\x0c314159265358"
            + b"\x00\x00\x00\x0c271828182845",
        ).hexdigest()
    )
    key = draw.rank_key(s, "lawyer", "E0007")
    assert (
        key
        == hashlib.new(
            "sm3", b"\x00\x00\x00\x20" + s + b"\x00\x00\x00\x06lawyer" + b"\x00\x00\x00\x05E0007"
        ).digest()
    )
    assert draw.commitment(SECRET) == hashlib.new("sm3", SECRET).hexdigest()


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_engine_reproduces_the_stored_record(name):
    assert GOLDEN[name]() == golden(name)
    assert draw.verify_record(golden(name)) == []


def panels(record: dict) -> dict[str, list[str]]:
    return {p["case"]: p["members"] for p in record["result"]["panels"]}


def test_small_draw_literal():
    record = golden("small")
    assert record["manifest_hash"] == (
        "7f43002bafde0b7a4701fc2998fd1af5859c067087526b4dba80fc8f62a8bc33"
    )
    assert record["seed"] == "3591fd5d03d1d5d7d65a9ff32b3107130affd3a4a7e467e8f4a9737ae0501b06"
    assert panels(record) == {
        "(2023)鄂02执恢12号": ["E08", "E12", "E04"],
        "(2023)鄂02民初123号": ["E07", "E09", "E01"],
    }
    first = record["result"]["panels"][1]
    assert first["reserves"] == {
        "deputy": ["E03", "E04"],
        "lawyer": ["E06", "E08"],
        "professor": ["E11", "E10"],
        "other": [],
    }
    assert [(e["expert"], e["rule"]) for e in record["manifest"]["exclusions"]] == [
        ("E02", "relation"),
        ("E05", "same_firm"),
    ]


def test_article_draw_literal():
    record = golden("article_2023")
    assert record["seed"] == "1ac63dee1cbdc87d65f88d13e849bdd921b86ea27215bb3401cd613394bdd45b"
    assert panels(record) == {
        "(2023)鄂0202执21号": ["E0025", "E0041", "E0006"],
        "(2023)鄂0202执456号": ["E0029", "E0044", "E0013"],
        "(2023)鄂0202执70号": ["E0029", "E0054", "E0014"],
        "(2023)鄂0202执恢28号": ["E0033", "E0050", "E0005"],
        "(2023)鄂02执异35号": ["E0026", "E0042", "E0018"],
        "(2023)鄂02执监56号": ["E0030", "E0038", "E0002"],
        "(2023)鄂02民初63号": ["E0036", "E0040", "E0001"],
        "(2023)鄂02民初7号": ["E0028", "E0037", "E0004"],
        "(2023)鄂02民申49号": ["E0022", "E0046", "E0009"],
        "(2023)鄂02民终14号": ["E0024", "E0045", "E0016"],
        "(2023)鄂02行初42号": ["E0032", "E0049", "E0012"],
    }
    assert record["result"]["substitutions"] == [
        {
            "case": "(2023)鄂0202执456号",
            "declined": "E0034",
            "replacement": "E0029",
            "category": "lawyer",
        }
    ]
    rules = {e["rule"] for e in record["manifest"]["exclusions"]}
    assert rules == {"year_cap", "employer_is_party", "same_firm", "recent_judge", "recusal"}


def test_aborted_redraw_literal():
    record = golden("aborted_redraw")
    assert record["aborted_previous"] == "HS-2024-01"
    assert panels(record) == {
        "(2024)鄂02执监3号": ["X08", "X11"],
        "(2024)鄂02执监4号": ["X02", "X07"],
        "(2024)鄂02执监5号": ["X10", "X09"],
    }
    assert record["manifest"]["exclusions"] == [
        {"expert": "X13", "case": None, "rule": "inactive", "detail": "专家已暂停，不参加抽取"}
    ]


# --- the replay script ---------------------------------------------------------------------------


@pytest.mark.parametrize("python", INTERPRETERS)
@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_script_replays_golden_records(name, python):
    done = replay(GOLDEN_DIR / f"{name}.json", python=python)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("OK ")


def test_script_with_pure_python_sm3(tmp_path):
    done = replay(GOLDEN_DIR / "small.json", pure=True)
    assert done.returncode == 0, done.stdout + done.stderr


def tamper(record: dict, how: str) -> dict:
    r = copy.deepcopy(record)
    if how == "manifest":
        r["manifest"]["pool"]["lawyer"].remove(r["manifest"]["pool"]["lawyer"][-1])
    elif how == "secret":
        r["secret"] = "ff" + r["secret"][2:]
    elif how == "witness":
        r["witness_inputs"][0] = "314159265359"
    elif how == "seed":
        r["seed"] = "00" + r["seed"][2:]
    elif how == "member":
        p = r["result"]["panels"][0]
        p["members"][0], p["reserves"]["lawyer"][0] = p["reserves"]["lawyer"][0], p["members"][0]
    elif how == "substitution":
        r["result"]["substitutions"][0]["replacement"] = "E0033"
    return r


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("manifest", "manifest hash"),
        ("secret", "commitment"),
        ("witness", "seed"),
        ("seed", "seed"),
        ("member", "members"),
        ("substitution", "result"),
    ],
)
def test_script_and_engine_reject_altered_records(tmp_path, how, expected):
    record = tamper(golden("article_2023"), how)
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    done = replay(path)
    assert done.returncode == 1
    assert done.stdout.startswith("MISMATCH")
    assert expected in done.stdout
    assert draw.verify_record(record) != []


def test_script_rejects_unreadable_input(tmp_path):
    path = tmp_path / "record.json"
    path.write_text("{not json", encoding="utf-8")
    done = replay(path)
    assert done.returncode == 1
    assert "unreadable" in done.stdout
