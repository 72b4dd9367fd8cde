#!/usr/bin/env python3
"""Replay a Wulian reviewer draw (protocol HR-1/1) from its public record — outside the product.

    python3 scripts/replay_draw.py record.json   # OK, exit 0 — or the first mismatch, exit 1

The record is what `wulian draw export DRAW_ID` writes. This script is deliberately independent of
Wulian: Python 3.9+ standard library only, its own copy of the algorithm (docs/adr/0008-sealed-
draw.md), so a supervisor can run it on their own machine. SM3 comes from hashlib when the local
OpenSSL has it, otherwise from the pure-Python implementation below (GB/T 32905-2016).

What it checks, in this order (the first failure is printed):
  1. the manifest's SM3 is the hash recorded (and chained in the audit trail) before any randomness;
  2. the revealed server secret matches the commitment published before the witnesses rolled;
  3. the witness inputs are well-formed, and the seed is SM3 of (protocol, manifest hash, secret,
     witness inputs), each field length-prefixed;
  4. ranking each category by SM3(seed ‖ category ‖ expert) and filling each case's panel gives
     exactly the recorded members and reserves, and replaying the recorded substitutions (a decline
     is replaced by the next reserve of the same category) gives the recorded final result;
  5. every panel meets its quotas and no excluded expert appears in it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys

PROTOCOL = "HR-1/1"
RECORD_FORMAT = "wulian.draw-record/1"
CATEGORIES = ("deputy", "lawyer", "professor", "other")
WITNESS_DIGITS = 12


# ---------------------------------------------------------------------------------------------
# SM3 (GB/T 32905-2016): hashlib when available, else this pure-Python version.

_IV = (
    0x7380166F,
    0x4914B2B9,
    0x172442D7,
    0xDA8A0600,
    0xA96F30BC,
    0x163138AA,
    0xE38DEE4D,
    0xB0FB0E4E,
)
_M = 0xFFFFFFFF


def _rotl(x: int, n: int) -> int:
    n %= 32
    return ((x << n) | (x >> (32 - n))) & _M


def _p0(x: int) -> int:
    return x ^ _rotl(x, 9) ^ _rotl(x, 17)


def _p1(x: int) -> int:
    return x ^ _rotl(x, 15) ^ _rotl(x, 23)


def sm3_pure(data: bytes) -> bytes:
    length = len(data) * 8
    msg = data + b"\x80" + b"\x00" * ((55 - len(data)) % 64) + length.to_bytes(8, "big")
    v = list(_IV)
    for off in range(0, len(msg), 64):
        w = [int.from_bytes(msg[off + 4 * i : off + 4 * i + 4], "big") for i in range(16)]
        for j in range(16, 68):
            w.append(
                _p1(w[j - 16] ^ w[j - 9] ^ _rotl(w[j - 3], 15)) ^ _rotl(w[j - 13], 7) ^ w[j - 6]
            )
        w1 = [w[j] ^ w[j + 4] for j in range(64)]
        a, b, c, d, e, f, g, h = v
        for j in range(64):
            t = 0x79CC4519 if j < 16 else 0x7A879D8A
            ss1 = _rotl((_rotl(a, 12) + e + _rotl(t, j)) & _M, 7)
            ss2 = ss1 ^ _rotl(a, 12)
            if j < 16:
                ff, gg = a ^ b ^ c, e ^ f ^ g
            else:
                ff = (a & b) | (a & c) | (b & c)
                gg = (e & f) | (~e & _M & g)
            tt1 = (ff + d + ss2 + w1[j]) & _M
            tt2 = (gg + h + ss1 + w[j]) & _M
            d, c, b, a = c, _rotl(b, 9), a, tt1
            h, g, f, e = g, _rotl(f, 19), e, _p0(tt2)
        v = [x ^ y for x, y in zip(v, (a, b, c, d, e, f, g, h))]  # noqa: B905 (py3.9)
    return b"".join(x.to_bytes(4, "big") for x in v)


def _hashlib_sm3(data: bytes) -> bytes:
    return hashlib.new("sm3", data).digest()


try:
    hashlib.new("sm3", b"")
    sm3 = _hashlib_sm3
except ValueError:  # this OpenSSL build has no SM3
    sm3 = sm3_pure
if os.environ.get("REPLAY_DRAW_PURE_SM3"):  # force the pure version (its tests use this)
    sm3 = sm3_pure


def lp(value) -> bytes:
    raw = value.encode("utf-8") if isinstance(value, str) else value
    return len(raw).to_bytes(4, "big") + raw


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


# ---------------------------------------------------------------------------------------------
# The protocol


class Mismatch(Exception):
    pass


def check_witness(value) -> None:
    if not (
        isinstance(value, str)
        and len(value) == WITNESS_DIGITS
        and value.isascii()
        and value.isdigit()
        and len(set(value)) > 1
    ):
        raise Mismatch(
            f"见证人随机数「{value}」不是{WITNESS_DIGITS}位数字 (malformed witness input)"
        )


def compute_seed(manifest_hash: str, secret: bytes, witness_inputs) -> bytes:
    data = lp(PROTOCOL) + lp(bytes.fromhex(manifest_hash)) + lp(secret)
    for w in witness_inputs:
        data += lp(w)
    return sm3(data)


def ranking(seed: bytes, category: str, refs):
    return sorted((sm3(lp(seed) + lp(category) + lp(ref)), category, ref) for ref in refs)


def run(manifest: dict, seed: bytes) -> dict:
    rules = manifest["rules"]
    per_case = rules["reviewers_per_case"]
    minimums = rules.get("minimums") or {}
    n_reserves = rules["reserves_per_category"]
    cap = manifest["batch_cap"]
    pool = manifest["pool"]
    excluded_for: dict = {}
    for e in manifest["exclusions"]:
        if e["case"] is not None:
            excluded_for.setdefault(e["case"], set()).add(e["expert"])
    ranked = {c: ranking(seed, c, pool.get(c, [])) for c in CATEGORIES}
    rankings = {c: [ref for _, _, ref in ranked[c]] for c in CATEGORIES}
    merged = [(ref, c) for _, c, ref in sorted(x for c in CATEGORIES for x in ranked[c])]
    load: dict = {}
    panels = []
    for case in manifest["cases"]:
        excluded = excluded_for.get(case["ref"], set())
        members, cats = [], []

        def take(candidates, need, honour_cap, members=members, cats=cats, excluded=excluded):
            for ref, cat in candidates:
                if len(members) >= need:
                    return
                if ref in excluded or ref in members:
                    continue
                if honour_cap and load.get(ref, 0) >= cap:
                    continue
                members.append(ref)
                cats.append(cat)

        for c in CATEGORIES:
            if minimums.get(c, 0):
                target = len(members) + minimums[c]
                take([(r, c) for r in rankings[c]], target, True)
                take([(r, c) for r in rankings[c]], target, False)
        take(merged, per_case, True)
        take(merged, per_case, False)
        if len(members) < per_case:
            raise Mismatch(f"案件{case['ref']}无法抽满{per_case}名专家 (panel cannot be filled)")
        for ref in members:
            load[ref] = load.get(ref, 0) + 1
        reserves = {}
        for c in CATEGORIES:
            chosen = []
            for honour_cap in (True, False):
                for ref in rankings[c]:
                    if len(chosen) >= n_reserves:
                        break
                    if ref in excluded or ref in members or ref in chosen:
                        continue
                    if honour_cap and load.get(ref, 0) >= cap:
                        continue
                    chosen.append(ref)
            reserves[c] = chosen
        panels.append(
            {"case": case["ref"], "members": members, "categories": cats, "reserves": reserves}
        )
    return {"panels": panels, "substitutions": []}


def substitute(result: dict, sub: dict) -> None:
    panel = next((p for p in result["panels"] if p["case"] == sub["case"]), None)
    if panel is None or sub["declined"] not in panel["members"]:
        raise Mismatch(f"替补记录无法重放：{sub} (substitution does not apply)")
    i = panel["members"].index(sub["declined"])
    category = panel["categories"][i]
    queue = panel["reserves"][category]
    if not queue:
        raise Mismatch(f"案件{sub['case']}没有候补专家可替补 (reserves exhausted)")
    replacement = queue.pop(0)
    panel["members"][i] = replacement
    result["substitutions"].append(
        {
            "case": sub["case"],
            "declined": sub["declined"],
            "replacement": replacement,
            "category": category,
        }
    )


def check(record: dict) -> str:
    if record.get("format") != RECORD_FORMAT or record.get("protocol") != PROTOCOL:
        raise Mismatch(
            "不支持的记录格式/协议 (unsupported format): "
            f"{record.get('format')} {record.get('protocol')}"
        )
    manifest = record["manifest"]
    if manifest.get("protocol") != PROTOCOL or list(manifest.get("categories", [])) != list(
        CATEGORIES
    ):
        raise Mismatch("抽取清单的协议或类别顺序不符 (manifest protocol/category order)")
    manifest_hash = sm3(canonical(manifest)).hex()
    if manifest_hash != record["manifest_hash"]:
        raise Mismatch(
            "抽取清单哈希值不符 (manifest hash): "
            f"记录 {record['manifest_hash']}, 重算 {manifest_hash}"
        )
    if manifest["draw_id"] != record["draw_id"]:
        raise Mismatch("抽取编号不符 (draw id)")
    secret = bytes.fromhex(record["secret"])
    if sm3(secret).hex() != record["commitment"]:
        raise Mismatch("服务器随机数与承诺值不符 (secret does not match the commitment)")
    witness = record["witness_inputs"]
    if not witness:
        raise Mismatch("没有见证人随机数 (no witness input)")
    for w in witness:
        check_witness(w)
    seed = compute_seed(manifest_hash, secret, witness)
    if seed.hex() != record["seed"]:
        raise Mismatch(f"种子不符 (seed): 记录 {record['seed']}, 重算 {seed.hex()}")
    result = run(manifest, seed)
    if sm3(canonical(result)).hex() != record["sealed_result_hash"]:
        raise Mismatch("封存时的抽取结果哈希值不符 (sealed result hash)")
    stored = record["result"]
    for sub in stored.get("substitutions", []):
        substitute(result, sub)
    if len(result["panels"]) != len(stored["panels"]):
        raise Mismatch("抽取结果的案件数与抽取清单不符 (number of cases)")
    for mine, theirs in zip(result["panels"], stored["panels"]):  # noqa: B905 (py3.9)
        if mine["case"] != theirs["case"]:
            raise Mismatch(f"案件顺序不符 (case order): {theirs['case']} / {mine['case']}")
        if mine["members"] != theirs["members"] or mine["categories"] != theirs["categories"]:
            raise Mismatch(
                f"案件{mine['case']}的抽中专家不符 (members): "
                f"记录 {theirs['members']}, 重算 {mine['members']}"
            )
        if mine["reserves"] != theirs["reserves"]:
            raise Mismatch(f"案件{mine['case']}的候补专家不符 (reserves)")
    if canonical(result) != canonical(stored):
        raise Mismatch("抽取结果不符 (result differs)")
    if sm3(canonical(stored)).hex() != record["result_hash"]:
        raise Mismatch("抽取结果哈希值不符 (result hash)")
    # Independent checks of the final result.
    category_of = {ref: c for c in CATEGORIES for ref in manifest["pool"].get(c, [])}
    barred = {(e["expert"], e["case"]) for e in manifest["exclusions"]}
    minimums = manifest["rules"].get("minimums") or {}
    for panel in stored["panels"]:
        counts: dict = {}
        for ref in panel["members"]:
            counts[category_of.get(ref)] = counts.get(category_of.get(ref), 0) + 1
        for c, n in minimums.items():
            if counts.get(c, 0) < n:
                raise Mismatch(f"案件{panel['case']}的「{c}」类专家少于{n}人 (quota unmet)")
        for ref in panel["members"] + [r for rs in panel["reserves"].values() for r in rs]:
            if ref not in category_of or (ref, panel["case"]) in barred or (ref, None) in barred:
                raise Mismatch(f"专家{ref}不得评查案件{panel['case']} (excluded expert drawn)")
    seating = record.get("seating")
    if seating is not None:
        check_seating(stored, seating)
    return (
        f"OK {record['draw_id']}: manifest {manifest_hash[:16]}…, seed {seed.hex()[:16]}…, "
        f"{len(stored['panels'])} cases, {len(stored.get('substitutions', []))} substitutions"
        + (f", {len(seating['invitations'])} invitations" if seating is not None else "")
    )


def check_seating(stored: dict, seating: dict) -> None:
    """Who actually sits follows from the verified result: everyone ever drawn onto a panel
    (the members, and each member who declined and was replaced by the next reserve of his
    category) invited once; exactly those replaced declined; each case's seats are its final
    members."""
    declined = {sub["declined"] for sub in stored.get("substitutions", [])}
    invited = {r for p in stored["panels"] for r in p["members"]} | declined
    seen = {}
    for inv in seating.get("invitations") or []:
        number, ref, state = inv["invitation"], inv["expert"], inv["state"]
        if ref in seen:
            raise Mismatch(f"邀请#{number}：专家{ref}被邀请两次 (expert invited twice)")
        seen[ref] = number
        if ref not in invited:
            raise Mismatch(
                f"邀请#{number}：专家{ref}不是抽取结果中的专家 (invitation not in the result)"
            )
        if (state == "declined") != (ref in declined):
            raise Mismatch(
                f"邀请#{number}：专家{ref}的答复“{state}”与替补记录不符 "
                "(answer does not match the substitutions)"
            )
    for ref in sorted(invited - set(seen)):
        raise Mismatch(f"专家{ref}没有邀请记录 (drawn expert never invited)")
    seats = seating.get("seats")
    if seats is not None:
        for panel in stored["panels"]:
            if sorted(seats.get(panel["case"]) or []) != sorted(panel["members"]):
                raise Mismatch(
                    f"案件{panel['case']}的评查席位与抽取结果不符 (seats differ from the result)"
                )


def main(argv) -> int:
    if len(argv) != 2:
        print("usage: python3 replay_draw.py record.json", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as fh:
            record = json.load(fh)
        print(check(record))
        return 0
    except Mismatch as exc:
        print(f"MISMATCH {exc}")
        return 1
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        print(f"MISMATCH 记录无法读取 (unreadable record): {exc!r}")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
