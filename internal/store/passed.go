package store

import (
	"encoding/binary"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// product_levels.passed holds sovereignty.Passed's integer form
// (Passed.Ints, 17 values) as bytea, each value two bytes big-endian:
// 34 bytes, which its CHECK requires; NULL for a level written before it
// was kept. (Migration 00011 stored it as a smallint[]; sending an array
// costs PostgreSQL about 1.5 µs a row, which a change to a hub reading
// 400,000 stored states paid in full, so 00013 made it bytea.) The index
// below does not compile should sovereignty.PassedLen differ, which would
// need a new migration.
const (
	passedLen   = 17
	passedBytes = 2 * passedLen
)

var _ = [1]struct{}{}[sovereignty.PassedLen-passedLen]

// appendPassed appends the stored form of p to dst.
func appendPassed(dst []byte, p *sovereignty.Passed) []byte {
	var ints [passedLen]int16
	for _, v := range p.AppendInts(ints[:0]) {
		dst = binary.BigEndian.AppendUint16(dst, uint16(v))
	}
	return dst
}

// passedBytesOf is the value to store for p: its stored form, nil (NULL)
// for nil.
func passedBytesOf(p *sovereignty.Passed) []byte {
	if p == nil {
		return nil
	}
	return appendPassed(make([]byte, 0, passedBytes), p)
}

// passedOf turns a stored passed value into a level's Passed: nil when it
// is NULL or anything PassedFromInts rejects. A reader without a stored
// Passed falls back to a slower path, so garbage is dropped silently
// rather than failing the read.
func passedOf(b []byte) *sovereignty.Passed {
	p, ok := decodePassed(b)
	if !ok {
		return nil
	}
	return &p
}

// decodePassed reads a stored passed value; false for anything passedOf
// reads as nil.
func decodePassed(b []byte) (sovereignty.Passed, bool) {
	if len(b) != passedBytes {
		return sovereignty.Passed{}, false
	}
	var ints [passedLen]int16
	for i := range ints {
		ints[i] = int16(binary.BigEndian.Uint16(b[2*i:]))
	}
	p, err := sovereignty.PassedFromInts(ints[:])
	return p, err == nil
}

// storedPassed scans product_levels.passed through database/sql (gorm):
// NULL and anything that is not a valid passed state read as nil, never
// as an error (see passedOf).
type storedPassed struct{ p *sovereignty.Passed }

// Scan implements sql.Scanner.
func (s *storedPassed) Scan(src any) error {
	s.p = nil
	if b, ok := src.([]byte); ok {
		s.p = passedOf(b)
	}
	return nil
}

// rawPassed reads column col of the current row, a bytea scanned with a
// nil destination, as passedOf does: in place when the value came in
// binary form (as pgx asks for it), decoded from the simple protocol's
// text otherwise.
func rawPassed(rows pgx.Rows, col int) *sovereignty.Passed {
	return passedOf(rawBytes(rows, col))
}

// rawBytes returns the bytes of column col of the current row, a bytea
// scanned with a nil destination: the raw value itself in binary form,
// decoded in text form; nil for NULL or a value that does not decode.
func rawBytes(rows pgx.Rows, col int) []byte {
	raw := rows.RawValues()[col]
	if raw == nil || rows.FieldDescriptions()[col].Format == pgtype.BinaryFormatCode {
		return raw
	}
	var b []byte
	if err := pgtype.NewMap().Scan(pgtype.ByteaOID, pgtype.TextFormatCode, raw, &b); err != nil {
		return nil
	}
	return b
}

// product_levels.own holds sovereignty.Own in its byte form
// (Own.AppendBytes), NULL for a level written before it was kept
// (migration 00012), whose CHECK requires 23 bytes.
const ownLen = 23

var _ = [1]struct{}{}[sovereignty.OwnLen-ownLen]

// ownOf turns a stored own value into a level's Own: nil when it is NULL
// or anything OwnFromBytes rejects (see passedOf).
func ownOf(b []byte) *sovereignty.Own {
	o, err := sovereignty.OwnFromBytes(b) // NULL (nil) has the wrong length
	if err != nil {
		return nil
	}
	return &o
}

// ownBytes is the value to store for o: its byte form, nil (NULL) for nil.
func ownBytes(o *sovereignty.Own) []byte {
	if o == nil {
		return nil
	}
	return o.AppendBytes(make([]byte, 0, ownLen))
}
