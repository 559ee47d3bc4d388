// Package static embeds the files served under /static/: the vendored KERN UX
// stylesheet and fonts (vendor/kern, copied by tools/frontend/vendor.sh) and
// our own app.css. Pages refer to them through Assets.URL, which appends a
// short content hash so a changed file gets a new URL and unchanged files can
// be cached for a long time.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"strings"
)

// Prefix is the URL path under which the web layer serves FS.
const Prefix = "/static/"

//go:embed app.css vendor
var files embed.FS

// Assets is the embedded file set with each file's content hash, computed
// once by New. It is read-only and safe for concurrent use.
type Assets struct {
	fsys   fs.FS
	hashes map[string]string // slash path relative to the root, e.g. "app.css" -> "1a2b3c4d5e"
}

// New hashes the embedded files.
func New() (*Assets, error) {
	return newAssets(files)
}

func newAssets(fsys fs.FS) (*Assets, error) {
	hashes := make(map[string]string)
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		hashes[p] = hex.EncodeToString(sum[:])[:10]
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static: hash assets: %w", err)
	}
	return &Assets{fsys: fsys, hashes: hashes}, nil
}

// FS returns the asset files, rooted so that "app.css" is the file served as
// /static/app.css.
func (a *Assets) FS() fs.FS { return a.fsys }

// URL returns the cache-busted URL of the asset name (a path relative to the
// static root, e.g. "app.css" or "vendor/kern/kern.min.css"), such as
// "/static/app.css?v=1a2b3c4d5e". An unknown name gets its plain URL without
// a version (so a typo shows up as a 404 in the browser, not as a panic).
func (a *Assets) URL(name string) string {
	name = strings.TrimPrefix(name, "/")
	if h, ok := a.hashes[name]; ok {
		return Prefix + name + "?v=" + h
	}
	return Prefix + name
}

// Hash returns the content hash that URL puts into ?v= for name, and whether
// the asset exists. The web layer can use it to send long-lived cache headers
// only when a request carries the current version.
func (a *Assets) Hash(name string) (string, bool) {
	h, ok := a.hashes[strings.TrimPrefix(name, "/")]
	return h, ok
}
