#!/usr/bin/env bash
# Maintainer script: refresh the vendored GOV.UK Frontend build under tisc/static/govuk/.
# Needs Node and npm; installing and running tisc does not. The Sass is compiled with
# Arial as the font (tisc is not on GOV.UK, so no GDS Transport) and the app's asset path.
# Usage: scripts/refresh-govuk-frontend.sh [VERSION]   (default: the version in VERSION)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out="$here/tisc/static/govuk"
version=${1:-$(cat "$out/VERSION" 2>/dev/null || echo 6.3.0)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund "govuk-frontend@$version" sass@1 >/dev/null
cat > tisc.scss <<'SCSS'
$govuk-font-family: arial, sans-serif;
$govuk-include-default-font-face: false;
$govuk-assets-path: "/static/govuk/assets/";
@use "sass:math";
@import "node_modules/govuk-frontend/dist/govuk/index";
SCSS
npx sass --no-source-map --style=compressed --quiet-deps --silence-deprecation=import \
  --load-path=. tisc.scss govuk-frontend.min.css
mkdir -p "$out"
cp govuk-frontend.min.css "$out/"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/"
# The npm package declares MIT in package.json but ships no licence file: write it out.
license=$(node -p "require('./node_modules/govuk-frontend/package.json').license")
[ "$license" = "MIT" ] || { echo "GOV.UK Frontend licence is now $license: review it" >&2; exit 1; }
cat > "$out/LICENSE.txt" <<'TXT'
GOV.UK Frontend (https://github.com/alphagov/govuk-frontend), vendored by tisc.
The MIT License (MIT)

Copyright (c) 2018 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
TXT
echo "$version" > "$out/VERSION"
echo "GOV.UK Frontend $version vendored into $out"
