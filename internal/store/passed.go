package store

import (
	"encoding/binary"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/lib/pq"

	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// product_levels.passed holds sovereignty.Passed in its integer form
// (Passed.Ints), NULL for a level written before it was kept (migration
// 00011). Its CHECK requires 17 values; the index below does not compile
// should sovereignty.PassedLen differ, which would need a new migration.
const passedLen = 17

var _ = [1]struct{}{}[sovereignty.PassedLen-passedLen]

// passedOf turns a stored passed value into a level's Passed: nil when it
// is NULL or anything PassedFromInts rejects. A reader without a stored
// Passed falls back to a slower path, so garbage is dropped silently
// rather than failing the read.
func passedOf[T int16 | int64](v []T) *sovereignty.Passed {
	if len(v) != passedLen {
		return nil
	}
	var ints [passedLen]int16
	for i, x := range v {
		if int64(x) != int64(int16(x)) { // only a smallint can be stored; never wrap
			return nil
		}
		ints[i] = int16(x)
	}
	p, err := sovereignty.PassedFromInts(ints[:])
	if err != nil {
		return nil
	}
	return &p
}

// storedPassed scans product_levels.passed through database/sql (gorm):
// NULL and anything that is not a valid passed state, a value of another
// shape included, read as nil, never as an error (see passedOf).
type storedPassed struct{ p *sovereignty.Passed }

// Scan implements sql.Scanner.
func (s *storedPassed) Scan(src any) error {
	var v pq.Int64Array
	if err := v.Scan(src); err != nil {
		s.p = nil
		return nil
	}
	s.p = passedOf(v)
	return nil
}

// rawPassed reads column col of the current row, a smallint[] scanned with
// a nil destination, as passedOf does: without decoding into a new slice
// when the value came in binary form (as pgx asks for it).
func rawPassed(rows pgx.Rows, col int) *sovereignty.Passed {
	var ints [passedLen]int16
	if !rawInts(rows, col, ints[:]) {
		return nil
	}
	return passedOf(ints[:])
}

// rawInts reads column col of the current row, a smallint[] scanned with a
// nil destination, into dst and reports whether it held exactly len(dst)
// values, none of them NULL. The binary form is read in place: at a full
// recomputation's 400,000 stored levels (changedLevels) decoding each
// array into a new slice would cost an allocation per row. Another form
// (the simple protocol's text) is decoded the ordinary way.
func rawInts(rows pgx.Rows, col int, dst []int16) bool {
	raw := rows.RawValues()[col]
	if raw == nil {
		return false
	}
	fd := rows.FieldDescriptions()[col]
	if fd.Format == pgtype.BinaryFormatCode {
		return binaryInt2Array(raw, dst)
	}
	var m *pgtype.Map
	if c := rows.Conn(); c != nil {
		m = c.TypeMap()
	} else {
		m = pgtype.NewMap()
	}
	var v pgtype.Array[int16] // not []int16, which would flatten two dimensions
	if err := m.Scan(fd.DataTypeOID, fd.Format, raw, &v); err != nil || len(v.Dims) != 1 || len(v.Elements) != len(dst) {
		return false
	}
	copy(dst, v.Elements)
	return true
}

// binaryInt2Array reads PostgreSQL's binary form of a one-dimensional
// smallint[] without NULLs and with len(dst) elements into dst (array_send:
// dimensions, NULL flag, element type, then per dimension its length and
// lower bound, then per element its length and value, all big-endian). It
// reports false for anything else.
func binaryInt2Array(raw []byte, dst []int16) bool {
	const header = 5 * 4 // one dimension
	be := binary.BigEndian
	if len(raw) != header+len(dst)*(4+2) ||
		be.Uint32(raw[0:]) != 1 || be.Uint32(raw[4:]) != 0 || be.Uint32(raw[8:]) != pgtype.Int2OID ||
		be.Uint32(raw[12:]) != uint32(len(dst)) {
		return false
	}
	for i := range dst {
		e := raw[header+6*i : header+6*i+6]
		if be.Uint32(e) != 2 {
			return false
		}
		dst[i] = int16(be.Uint16(e[4:]))
	}
	return true
}

// product_levels.own holds sovereignty.Own in its byte form
// (Own.AppendBytes), NULL for a level written before it was kept
// (migration 00012), whose CHECK requires 23 bytes.
const ownLen = 23

var _ = [1]struct{}{}[sovereignty.OwnLen-ownLen]

// ownOf turns a stored own value into a level's Own: nil when it is NULL
// or anything OwnFromBytes rejects (see passedOf).
func ownOf(b []byte) *sovereignty.Own {
	if b == nil {
		return nil
	}
	o, err := sovereignty.OwnFromBytes(b)
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
