#!/usr/bin/env bash
# Build static/css/site.min.css: the USWDS stylesheet and its Vietnamese font override with
# only the rules whose classes the project uses (PurgeCSS). Run it when the vendored files
# are updated or a template starts using a USWDS class it did not use before; commit the
# output. Not run at install time: the site ships the built file, and needs no Node.js.
# config/tests/test_static_css.py fails when a class used in a template is missing from it.
set -euo pipefail
cd "$(dirname "$0")/.."
PURGECSS_VERSION=6.0.0
TOOL=$(mktemp -d)
trap 'rm -rf "$TOOL"' EXIT
(cd "$TOOL" && npm install --silent --no-audit --no-fund "purgecss@$PURGECSS_VERSION" >/dev/null)
OUT=$(mktemp -d)
"$TOOL/node_modules/.bin/purgecss" -c scripts/purgecss/purgecss.config.cjs \
  --css static/vendor/uswds/css/uswds.min.css static/css/fonts-override.css -o "$OUT"
# PurgeCSS (6.0 to 8.0) drops rules written with :where(...) or [class*=...] even when the
# classes they name are used (".usa-form a:where(:not(.usa-button))", the colour of links in
# forms): put back each such rule of the source whose selectors name only kept classes.
python3 scripts/purgecss/put_back_rules.py static/vendor/uswds/css/uswds.min.css "$OUT/uswds.min.css"
# One file, USWDS first and the font override after it (the override must come later).
{
  echo "/* Built by scripts/purge-css.sh from vendor/uswds/css/uswds.min.css (USWDS 3.14.0, CC0)"
  echo "   and css/fonts-override.css, keeping the rules the project's pages use. Do not edit. */"
  # The built file sits in static/css/: USWDS's images are under vendor/uswds/img/.
  sed 's#url(\.\./img/#url(../vendor/uswds/img/#g' "$OUT/uswds.min.css"
  echo
  cat "$OUT/fonts-override.css"
} > static/css/site.min.css
rm -rf "$OUT"
echo "static/css/site.min.css: $(wc -c < static/css/site.min.css) bytes, $(gzip -9c static/css/site.min.css | wc -c) gzipped"
