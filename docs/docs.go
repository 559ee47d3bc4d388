// Package docs embeds the registry's published documents, so that the
// methodology page serves exactly the text kept in this folder.
package docs

import "embed"

// FS holds the Markdown documents (methodology.md in English,
// methodology.de.md in German, benchmarks.md).
//
//go:embed *.md
var FS embed.FS
