#!/usr/bin/env sh
# Copy the NL Design System CSS from node_modules into static/nlds/, where Django's static
# files (and collectstatic) find it. Run by scripts/bootstrap.sh after `npm ci`; the Docker
# image runs it in its Node stage. Only these files are served: no CDN, nothing else.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
modules="$here/node_modules/@utrecht"
target="${1:-$here/../../static/nlds}"
mkdir -p "$target"
cp "$modules/design-tokens/dist/theme.css" "$target/utrecht-design-tokens.css"
cp "$modules/component-library-css/dist/index.css" "$target/utrecht-components.css"
cp "$modules/component-library-css/dist/html.css" "$target/utrecht-html.css"
