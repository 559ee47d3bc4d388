package catalog

import (
	"encoding/base64"
	"encoding/json"
)

// Cursor is a keyset position in a sorted listing: the sort key of the last
// item seen and its id. It travels as an opaque string.
type Cursor struct {
	Sort Sort   `json:"s"`
	Key  string `json:"k"`
	ID   int64  `json:"i"`
}

// Encode returns the cursor's opaque form.
func (c Cursor) Encode() string {
	b, _ := json.Marshal(c) // a struct of strings and ints always marshals
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor parses an opaque cursor made by Encode for the given sort.
func DecodeCursor(s string, sort Sort) (Cursor, error) {
	var c Cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Sort != sort || c.ID <= 0 || len(s) > 512 {
		p := newProblems()
		p.at("page[after]").add("error.cursor", "the cursor is malformed or belongs to another sort order")
		return Cursor{}, p.err()
	}
	return c, nil
}
