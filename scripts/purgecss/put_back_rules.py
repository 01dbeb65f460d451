"""Put back into a PurgeCSS output the top-level rules it drops wrongly: those written with
`:where(...)` or an attribute-substring selector (`[class*=__label]`).

    python3 put_back_rules.py SOURCE.css PURGED.css   (PURGED.css is rewritten)

A rule is put back when every class its selector names is among the kept classes of the
purged file (so it styles something the pages use). Top-level rules only: the ones PurgeCSS
drops in USWDS 3.14 are all top level. Standard library only: this runs on a developer's
machine beside PurgeCSS, not in the site.
"""

import re
import sys
from pathlib import Path

RULE = re.compile(r"([^{}@]+)\{([^{}]*)\}")
WRONGLY_DROPPED = (":where(", "[class*=")
CLASS = re.compile(r"\.(-?[A-Za-z_](?:[A-Za-z0-9_-]|\\:)*)")


def top_level_rules(css: str):
    """(selector, body) of each rule outside any @media/@supports block, in order."""
    depth, start, out = 0, 0, []
    for index, char in enumerate(css):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                block = css[start : index + 1]
                match = RULE.fullmatch(block.strip())
                if match:
                    out.append((match.group(1).strip(), match.group(2)))
                start = index + 1
    return out


def main(source_path: str, purged_path: str) -> None:
    source = Path(source_path).read_text(encoding="utf-8")
    purged = Path(purged_path).read_text(encoding="utf-8")
    kept = set(CLASS.findall(purged))
    missing = [
        f"{selector}{{{body}}}"
        for selector, body in top_level_rules(source)
        if any(mark in selector for mark in WRONGLY_DROPPED)
        and selector not in purged
        and set(CLASS.findall(selector)) <= kept
    ]
    with open(purged_path, "a", encoding="utf-8") as out:
        out.write("".join(missing))
    print(f"put back {len(missing)} rule(s) PurgeCSS dropped wrongly", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:3])
