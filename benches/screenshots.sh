#!/bin/sh
# Screenshots of the default theme, to look at before calling a theme change done:
# home, an article, a region, the regions index, a tag, search and 404, each at 1280×900
# (desktop) and 375×812 (phone), built from the sample site and served by a plain static
# server; in both scripts when the site has [variants] traditional (the traditional ones
# are named `*-hant-*.png`). Usage: benches/screenshots.sh OUT_DIR [GAZETTE_BINARY]
set -eu
out=${1:?usage: benches/screenshots.sh OUT_DIR [GAZETTE_BINARY]}
bin=${2:-target/debug/gazette}
repo=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
site=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$site"' EXIT
"$bin" build --root "$repo" --output "$site/public" >/dev/null
# A free port: another server may hold any fixed one.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$site/public" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
sleep 1
base="http://127.0.0.1:$port"
# The first article, region and tag of the built site: whatever the sample holds.
article=$(cd "$site/public" && find . -path './20[0-9][0-9]/[0-9][0-9]/*/index.html' | sort | head -n 1 | sed 's|^\.||; s|index.html$||')
region=$(cd "$site/public" && find regions -mindepth 2 -maxdepth 2 -name index.html | sort | head -n 1 | sed 's|index.html$||')
tag=$(cd "$site/public" && find tags -mindepth 2 -maxdepth 2 -name index.html | sort | head -n 1 | sed 's|index.html$||')
# The traditional twin, when the site has one.
scripts=":"
if [ -f "$site/public/zh-hant/index.html" ]; then scripts=": -hant:/zh-hant"; fi
for script in $scripts; do
  suffix=${script%%:*}
  prefix=${script#*:}
  for page in "home:/" "article:$article" "region:/$region" "regions:/regions/" "tag:/$tag" "search:/search/?q=科技" "404:/404.html"; do
    name=${page%%:*}$suffix
    path=$prefix${page#*:}
    for size in 1280,900 375,812; do
      chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=3000 --user-data-dir="$site/profile" \
        --screenshot="$out/$name-${size%,*}.png" --window-size="$size" "$base$path" >/dev/null 2>&1
    done
    echo "$name: $base$path"
  done
done
