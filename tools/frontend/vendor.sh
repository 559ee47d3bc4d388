#!/usr/bin/env bash
# vendor.sh copies the pinned front-end assets out of npm packages into the
# repository, so that building and serving the registry needs no npm and the
# browser loads nothing from any other host.
#
#   @kern-ux/native (EUPL-1.2) -> static/vendor/kern/
#       kern.min.css            the built KERN UX stylesheet (unchanged)
#       fonts/fira-sans.css     @font-face rules, URLs relative (./fira-sans/…),
#                               so they resolve under /static/vendor/kern/fonts/
#       fonts/fira-sans/*.woff2 only the font files fira-sans.css refers to
#       LICENSE.md, VERSION
#   axe-core (MPL-2.0)         -> tools/axe/ (used by browser tests only, never served)
#       axe.min.js, LICENSE, LICENSE-3RD-PARTY.txt, VERSION
#
# Patches: fonts/fira-sans.css gets "font-display: swap" (see below). No patch
# is needed against remote loads for @kern-ux/native 2.7.2: its CSS has no @import and
# no url() to another host (the only "http://" strings are SVG xmlns attributes
# inside data: URIs, which the browser never fetches). The optional Noto Sans
# files are not copied (KERN falls back to system fonts). Any sourceMappingURL
# comment would be stripped. The check at the end fails the script if a later
# KERN version adds a remote reference, so an upgrade cannot slip one in.
#
# Usage: tools/frontend/vendor.sh   (from anywhere; needs node + npm)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
kern_src="$here/node_modules/@kern-ux/native"
axe_src="$here/node_modules/axe-core"
kern_dst="$root/static/vendor/kern"
axe_dst="$root/tools/axe"

cd "$here"
npm ci --ignore-scripts --no-audit --no-fund

# KERN: start from an empty folder so removed upstream files do not linger.
rm -rf "$kern_dst"
mkdir -p "$kern_dst/fonts/fira-sans"
sed -e '/sourceMappingURL=/d' "$kern_src/dist/kern.min.css" >"$kern_dst/kern.min.css"
# Patch: font-display: swap, so text shows in a fallback font while Fira Sans
# loads instead of staying invisible (up to 3 s on a slow connection).
sed -e '/sourceMappingURL=/d' -e 's/@font-face[[:space:]]*{/&\n    font-display: swap;/' \
	"$kern_src/dist/fonts/fira-sans.css" >"$kern_dst/fonts/fira-sans.css"
grep -q 'font-display: swap' "$kern_dst/fonts/fira-sans.css"
# Copy exactly the font files that fira-sans.css refers to.
grep -o 'url("\{0,1\}\./fira-sans/[^")]*' "$kern_dst/fonts/fira-sans.css" |
	sed -e 's|^url("\{0,1\}\./||' | sort -u |
	while read -r font; do
		cp "$kern_src/dist/fonts/$font" "$kern_dst/fonts/$font"
	done
chmod 0644 "$kern_dst"/fonts/fira-sans/* "$kern_dst"/fonts/fira-sans.css
cp "$kern_src/LICENSE.md" "$kern_dst/LICENSE.md"
node -p 'require("@kern-ux/native/package.json").version' >"$kern_dst/VERSION"

# axe-core: only for the accessibility tests (tools/axe), never under static/.
mkdir -p "$axe_dst"
cp "$axe_src/axe.min.js" "$axe_src/LICENSE" "$axe_src/LICENSE-3RD-PARTY.txt" "$axe_dst/"
node -p 'require("axe-core/package.json").version' >"$axe_dst/VERSION"

# Guard: no stylesheet may make the browser contact another host. Drop data:
# URIs (their SVG xmlns is never fetched), then look for @import and for any
# url() or bare reference starting with a scheme or "//".
bad=0
for css in "$kern_dst"/kern.min.css "$kern_dst"/fonts/*.css; do
	if sed -E 's/url\((["'\'']?)data:[^)]*\)//g' "$css" |
		grep -Eio '@import|url\((["'\'']?)(https?:|//)[^)]*\)' ; then
		echo "vendor.sh: remote reference in $css: patch it here before vendoring" >&2
		bad=1
	fi
done
exit "$bad"
