package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sovereignty-registry/registry/internal/sovereignty"
	"github.com/sovereignty-registry/registry/internal/testdb"
)

// TestRawPassed reads bytea values as the read path and a full
// recomputation read stored passed states (rawPassed): in binary form, in
// place, as pgx asks for it by default, and in text form over the simple
// protocol. A valid state comes back, anything else as nil.
func TestRawPassed(t *testing.T) {
	ctx := context.Background()
	url := testdb.New(t)
	want := sovereignty.Passed{S1a: [2]sovereignty.Level{sovereignty.RSL4, sovereignty.RSL1}}
	for s := range want.Axes {
		want.Axes[s] = [2]sovereignty.Level{sovereignty.Level(s % 5), sovereignty.Level((s + 3) % 5)}
		want.Via[s] = int16(s*7 - 1)
	}
	hexOf := func(ints ...int16) string {
		var b strings.Builder
		b.WriteString(`\x`)
		for _, v := range ints {
			fmt.Fprintf(&b, "%04x", uint16(v))
		}
		return b.String()
	}
	ones := func(n int) []int16 {
		out := make([]int16, n)
		for i := range out {
			out[i] = 1
		}
		return out
	}
	formats := map[pgx.QueryExecMode]int16{
		pgx.QueryExecModeCacheStatement: pgx.BinaryFormatCode,
		pgx.QueryExecModeSimpleProtocol: pgx.TextFormatCode,
	}
	show := func(p *sovereignty.Passed) string {
		if p == nil {
			return "nil"
		}
		return fmt.Sprint(p.Ints())
	}
	for mode, format := range formats {
		cfg, err := pgx.ParseConfig(url)
		if err != nil {
			t.Fatalf("parse test database URL: %v", err)
		}
		cfg.DefaultQueryExecMode = mode
		c, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			t.Fatalf("connect (%v): %v", mode, err)
		}
		t.Cleanup(func() { _ = c.Close(context.Background()) })
		for _, tc := range []struct {
			name, value string // value: the bytea's text, "" for NULL
			want        *sovereignty.Passed
		}{
			{"valid", hexOf(want.Ints()...), &want},
			{"NULL", "", nil},
			{"16 values", hexOf(ones(16)...), nil},
			{"18 values", hexOf(ones(18)...), nil},
			{"an odd byte more", hexOf(ones(17)...) + "01", nil},
			{"level out of range", hexOf(append([]int16{9}, ones(16)...)...), nil},
			{"via out of range", hexOf(append(ones(12), -2, 1, 1, 1, 1)...), nil},
			{"empty", `\x`, nil},
		} {
			t.Run(fmt.Sprintf("%v/%s", mode, tc.name), func(t *testing.T) {
				var arg any
				if tc.value != "" {
					arg = tc.value
				}
				rows, err := c.Query(ctx, `SELECT $1::text::bytea`, arg)
				if err != nil {
					t.Fatalf("query: %v", err)
				}
				defer rows.Close()
				if !rows.Next() {
					t.Fatalf("no row: %v", rows.Err())
				}
				if err := rows.Scan(nil); err != nil {
					t.Fatalf("scan: %v", err)
				}
				if f := rows.FieldDescriptions()[0].Format; f != format {
					t.Fatalf("the value came in format %d, want %d: the test would not read the form it names", f, format)
				}
				got := rawPassed(rows, 0)
				if (got == nil) != (tc.want == nil) || (got != nil && *got != *tc.want) {
					t.Errorf("rawPassed of %q = %s, want %s", tc.value, show(got), show(tc.want))
				}
			})
		}
	}
}
