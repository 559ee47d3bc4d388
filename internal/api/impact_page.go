package api

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// The outage impact of a hub (aws on a large catalogue) lists tens of
// thousands of products, each with its path, so /impact pages like the
// listings: page[size] entries of one list, the down products followed by
// the degraded ones in the simulation's breadth-first order, cut into the
// two arrays of the response.

// impactListParams are the parameters of /impact: the failed products and
// a page.
var impactListParams = append(slices.Clone(impactParams), paramPageSize, paramPageAfter)

// impactDefaultPageSize is the page size when page[size] is not given, the
// same as the product listings' (catalog.Query.Normalize); the maximum is
// theirs too, catalog.MaxPageSize.
const impactDefaultPageSize = 20

// maxCursorLen bounds an opaque cursor, as catalog.DecodeCursor does.
const maxCursorLen = 512

// impactCursor is the position after the last entry of a page in the
// combined list (down, then degraded): N entries precede the next page and
// the last of them is K. F fingerprints the failed products, on which the
// list and its order depend, so a cursor is refused with other ones.
type impactCursor struct {
	F string `json:"f"`
	K string `json:"k"`
	N int    `json:"n"`
}

// encode returns the cursor's opaque form.
func (c impactCursor) encode() string {
	b, _ := json.Marshal(c) // strings and an int always marshal
	return base64.RawURLEncoding.EncodeToString(b)
}

// impactPage is a parsed page request of /impact.
type impactPage struct {
	size  int
	after *impactCursor // nil: the first page
}

// impactPageOf parses page[size] and page[after] for the outage of failed
// (deduplicated, in order) and reports every problem.
func impactPageOf(vals url.Values, failed []string) (impactPage, []catalog.Problem) {
	pg := impactPage{size: impactDefaultPageSize}
	var probs []catalog.Problem
	if v, ok := vals[paramPageSize]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > catalog.MaxPageSize {
			probs = append(probs, catalog.Problem{Path: paramPageSize, Key: "error.page_size",
				Message: fmt.Sprintf("page size must be a whole number from 1 to %d", catalog.MaxPageSize)})
		} else {
			pg.size = n
		}
	}
	// An empty cursor is the first page, as on the product listings.
	if v, ok := vals[paramPageAfter]; ok && v[0] != "" {
		c, ok := decodeImpactCursor(v[0], failed)
		if !ok {
			probs = append(probs, catalog.Problem{Path: paramPageAfter, Key: "error.cursor",
				Message: "the cursor is malformed or belongs to another set of failed products"})
		} else {
			pg.after = &c
		}
	}
	return pg, probs
}

// decodeImpactCursor parses a cursor made by encode for the same failed
// products.
func decodeImpactCursor(s string, failed []string) (impactCursor, bool) {
	var c impactCursor
	if len(s) > maxCursorLen {
		return c, false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.N < 1 || c.K == "" || c.F != failedFingerprint(failed) {
		return impactCursor{}, false
	}
	return c, true
}

// failedFingerprint identifies a list of failed products (order matters:
// it is the order of the breadth-first search).
func failedFingerprint(failed []string) string {
	h := fnv.New64a()
	_, _ = h.Write([]byte(strings.Join(failed, ","))) // never fails
	return strconv.FormatUint(h.Sum64(), 36)
}

// impactSlice is one page of an outage's combined list: the entries of Down
// and of Degraded on it, and the cursor of the next page ("" on the last).
type impactSlice struct {
	down, degraded []sovereignty.ImpactEntry
	next           string
}

// cut returns the page of im that pg asks for. A cursor continues after
// its last entry K, found where it was or, when the catalogue changed in
// between, wherever it is now; when K is no longer affected, the page
// starts where K's successor moved up to (N-1), exact if only K left.
func (pg impactPage) cut(im *sovereignty.Impact, failed []string) impactSlice {
	nDown, total := len(im.Down), len(im.Down)+len(im.Degraded)
	at := func(i int) string {
		if i < nDown {
			return im.Down[i].ProductID
		}
		return im.Degraded[i-nDown].ProductID
	}
	from := 0
	if c := pg.after; c != nil {
		from = c.start(total, at)
	}
	to := min(from+pg.size, total)
	s := impactSlice{
		down:     im.Down[min(from, nDown):min(to, nDown)],
		degraded: im.Degraded[max(from-nDown, 0):max(to-nDown, 0)],
	}
	if to < total {
		s.next = impactCursor{F: failedFingerprint(failed), K: at(to - 1), N: to}.encode()
	}
	return s
}

// start returns the index of the entry after the cursor in a list of n
// entries, at(i) being the slug of entry i.
func (c impactCursor) start(n int, at func(int) string) int {
	if c.N <= n && at(c.N-1) == c.K {
		return c.N
	}
	for i := range n {
		if at(i) == c.K {
			return i + 1
		}
	}
	return min(c.N-1, n)
}
