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

// TestRawPassed reads smallint[] values as the read path and a full
// recomputation read stored passed states (rawPassed, rawInts): in binary
// form, in place, as pgx asks for it by default, and in text form over the
// simple protocol. Both must agree with passedOf over the decoded values:
// a valid state comes back, anything else as nil.
func TestRawPassed(t *testing.T) {
	ctx := context.Background()
	url := testdb.New(t)
	want := sovereignty.Passed{S1a: [2]sovereignty.Level{sovereignty.RSL4, sovereignty.RSL1}}
	for s := range want.Axes {
		want.Axes[s] = [2]sovereignty.Level{sovereignty.Level(s % 5), sovereignty.Level((s + 3) % 5)}
		want.Via[s] = int16(s*7 - 1)
	}
	var elems []string
	for _, v := range want.Ints() {
		elems = append(elems, fmt.Sprint(v))
	}
	valid := "{" + strings.Join(elems, ",") + "}"
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
			name, value string // value: the array's text, "" for NULL
			want        *sovereignty.Passed
		}{
			{"valid", valid, &want},
			{"NULL", "", nil},
			{"16 values", "{1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1}", nil},
			{"18 values", "{1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1}", nil},
			{"level out of range", "{9,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1}", nil},
			{"via out of range", "{1,1,1,1,1,1,1,1,1,1,1,1,-2,1,1,1,1}", nil},
			{"NULL element", "{1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,NULL}", nil},
			{"two dimensions", "{{1},{1},{1},{1},{1},{1},{1},{1},{1},{1},{1},{1},{1},{1},{1},{1},{1}}", nil},
			{"empty", "{}", nil},
		} {
			t.Run(fmt.Sprintf("%v/%s", mode, tc.name), func(t *testing.T) {
				var arg any
				if tc.value != "" {
					arg = tc.value
				}
				rows, err := c.Query(ctx, `SELECT $1::text::smallint[]`, arg)
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
