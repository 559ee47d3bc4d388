package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/sovereignty"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
)

// The product and perspective whose stored level the tests below change.
const passedSlug, passedPersp = "mistral-le-chat", "de"

// The two ways levels are written: the gorm upsert of the per-product
// path and the COPY of a full recomputation (fullGraphStore.SaveLevels,
// copyLevels), run inside Reclassify as RecomputeAll runs it.
var levelSaves = []struct {
	name string
	save func(ctx context.Context, s *store.Store, levels []catalog.ProductLevel) error
}{
	{"gorm", saveByGorm},
	{"copy", saveByCopy},
}

func saveByGorm(ctx context.Context, s *store.Store, levels []catalog.ProductLevel) error {
	return s.Graph().SaveLevels(ctx, levels)
}

func saveByCopy(ctx context.Context, s *store.Store, levels []catalog.ProductLevel) error {
	return s.Reclassify(ctx, sovereignty.RuleVersion, func(ctx context.Context, g catalog.GraphStore) error {
		return g.SaveLevels(ctx, levels)
	})
}

// testPassed returns a valid passed state that no rule computes for the
// seed catalogue's products (every axis set, no via of -1), different for
// every n.
func testPassed(n int) sovereignty.Passed {
	var p sovereignty.Passed
	for s := range p.Axes {
		p.Axes[s] = [2]sovereignty.Level{sovereignty.Level((s + n) % 5), sovereignty.Level((s + n + 2) % 5)}
	}
	p.S1a = [2]sovereignty.Level{sovereignty.RSL4, sovereignty.Level(n % 5)}
	for s := range p.Via {
		p.Via[s] = int16(40 + n + s)
	}
	return p
}

// showPassed prints a level's Passed for failure messages (%+v would
// print the pointer).
func showPassed(p *sovereignty.Passed) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(p.Ints())
}

// samePassed reports whether two levels' Passed are both nil or equal.
func samePassed(a, b *sovereignty.Passed) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

// mustStoredLevel returns the stored level of slug under persp and fails
// unless the seed import stored a passed state with it.
func mustStoredLevel(t *testing.T, ctx context.Context, s *store.Store, slug, persp string) catalog.ProductLevel {
	t.Helper()
	l := storedLevel(t, ctx, s, slug, persp)
	if l.Passed == nil || l.Own == nil {
		t.Fatalf("stored level of %s/%s has no passed state or own evaluation; the seed import should have stored them", slug, persp)
	}
	return l
}

// storedLevel returns the stored level of slug under persp as a write
// reads it (StoredLevels, with the own evaluation).
func storedLevel(t *testing.T, ctx context.Context, s *store.Store, slug, persp string) catalog.ProductLevel {
	t.Helper()
	ls, err := s.Graph().StoredLevels(ctx, []string{slug})
	if err != nil {
		t.Fatalf("stored level of %s/%s: %v", slug, persp, err)
	}
	i := slices.IndexFunc(ls, func(l catalog.ProductLevel) bool { return l.Perspective == persp })
	if i < 0 {
		t.Fatalf("no stored level of %s/%s", slug, persp)
	}
	return ls[i]
}

// readLevels reads the stored level of slug under persp through every read
// path (Store.Level, Store.Levels and the read path's ReadProducts), by
// path, and fails if one of them errs or finds none.
func readLevels(t *testing.T, ctx context.Context, s *store.Store, slug, persp string) map[string]catalog.ProductLevel {
	t.Helper()
	out := map[string]catalog.ProductLevel{}
	l, err := s.Level(ctx, slug, persp)
	if err != nil {
		t.Fatalf("Store.Level(%s, %s): %v", slug, persp, err)
	}
	out["Level"] = l
	ls, err := s.Levels(ctx, []string{slug}, persp)
	if err != nil {
		t.Fatalf("Store.Levels(%s, %s): %v", slug, persp, err)
	}
	l, ok := ls[slug]
	if !ok {
		t.Fatalf("Store.Levels(%s, %s) found no level", slug, persp)
	}
	out["Levels"] = l
	rp := s.ReadPath()
	if rp == nil {
		t.Fatal("the store offers no read path")
	}
	res, err := rp.ReadProducts(ctx, catalog.ReadRequest{Products: []string{slug}})
	if err != nil {
		t.Fatalf("ReadProducts(%s): %v", slug, err)
	}
	found := false
	for _, l := range res.Levels {
		if l.Product == slug && l.Perspective == persp {
			out["ReadProducts"], found = l, true
		}
	}
	if !found {
		t.Fatalf("ReadProducts(%s) read no level under %s among %d", slug, persp, len(res.Levels))
	}
	return out
}

// checkRead fails unless every read path returns want for slug under
// persp, Passed compared by value.
func checkRead(t *testing.T, ctx context.Context, s *store.Store, want catalog.ProductLevel) {
	t.Helper()
	for path, got := range readLevels(t, ctx, s, want.Product, want.Perspective) {
		if !samePassed(got.Passed, want.Passed) {
			t.Errorf("%s: Passed %s, want %s", path, showPassed(got.Passed), showPassed(want.Passed))
		}
		gp, wp := got, want
		gp.Passed, wp.Passed, gp.Own, wp.Own = nil, nil, nil, nil
		if gp != wp {
			t.Errorf("%s: level %+v, want %+v (Passed and Own aside)", path, gp, wp)
		}
	}
	// Only a write's StoredLevels reads the own evaluation.
	if got := storedLevel(t, ctx, s, want.Product, want.Perspective); !sameOwn(got.Own, want.Own) {
		t.Errorf("StoredLevels: Own %+v, want %+v", got.Own, want.Own)
	}
}

// checkRewrite saves want through a full recomputation's write
// (copyLevels) and checks that it rewrote the stored row or left it
// (rewrite), and that every reader then gives want.
func checkRewrite(t *testing.T, ctx context.Context, s *store.Store, want catalog.ProductLevel, rewrite bool) {
	t.Helper()
	before := computedAt(t, ctx, s, want.Product, want.Perspective)
	if err := saveByCopy(ctx, s, []catalog.ProductLevel{want}); err != nil {
		t.Fatalf("save: %v", err)
	}
	if rewritten := !computedAt(t, ctx, s, want.Product, want.Perspective).Equal(before); rewritten != rewrite {
		t.Errorf("level rewritten: %v, want %v", rewritten, rewrite)
	}
	checkRead(t, ctx, s, want)
}

// sameOwn reports whether two own evaluations are equal (both nil, or
// equal values).
func sameOwn(a, b *sovereignty.Own) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

// TestCopyLevels_ComparesOwn is TestCopyLevels_ComparesPassed for the own
// evaluation: a level that differs from the stored one only in Own, or
// whose stored own is NULL, is rewritten.
func TestCopyLevels_ComparesOwn(t *testing.T) {
	for _, tc := range []struct {
		name    string
		stored  string // SQL for the stored own; "" leaves it
		own     func(o sovereignty.Own) *sovereignty.Own
		rewrite bool
	}{
		{"identical", "", func(o sovereignty.Own) *sovereignty.Own { return &o }, false},
		{"other own", "", func(o sovereignty.Own) *sovereignty.Own {
			b := o.AppendBytes(nil)
			b[0] ^= 1 // another level of the first criterion
			other, err := sovereignty.OwnFromBytes(b)
			if err != nil {
				panic(err)
			}
			return &other
		}, true},
		{"stored NULL", "NULL", func(o sovereignty.Own) *sovereignty.Own { return &o }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Seeded(t)
			want := mustStoredLevel(t, ctx, s, passedSlug, passedPersp)
			want.Own = tc.own(*want.Own)
			if tc.stored != "" {
				if _, err := s.DB().ExecContext(ctx, `UPDATE product_levels SET own = `+tc.stored+`
					WHERE product_id = (SELECT id FROM products WHERE slug = $1) AND perspective = $2`, passedSlug, passedPersp); err != nil {
					t.Fatal(err)
				}
			}
			checkRewrite(t, ctx, s, want, tc.rewrite)
		})
	}
}

// storedPassed returns the raw passed column of slug under persp: whether
// it is NULL and its values.
func storedPassed(t *testing.T, ctx context.Context, s *store.Store, slug, persp string) (null bool, text string) {
	t.Helper()
	var v *string
	err := s.DB().QueryRowContext(ctx, `SELECT l.passed::text FROM product_levels l JOIN products p ON p.id = l.product_id
		WHERE p.slug = $1 AND l.perspective = $2`, slug, persp).Scan(&v)
	if err != nil {
		t.Fatalf("stored passed of %s/%s: %v", slug, persp, err)
	}
	if v == nil {
		return true, ""
	}
	return false, *v
}

// passedSQL is an SQL literal of the stored form of a passed state with
// the integer values ints (two bytes each, big-endian), valid or not.
func passedSQL(ints ...int16) string {
	var b strings.Builder
	b.WriteString(`'\x`)
	for _, v := range ints {
		fmt.Fprintf(&b, "%04x", uint16(v))
	}
	b.WriteString(`'::bytea`)
	return b.String()
}

// repeated is n times v.
func repeated(v int16, n int) []int16 {
	out := make([]int16, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// setStoredPassed overwrites the passed column of slug under persp with
// expr, an SQL expression.
func setStoredPassed(t *testing.T, ctx context.Context, s *store.Store, slug, persp, expr string) {
	t.Helper()
	res, err := s.DB().ExecContext(ctx, `UPDATE product_levels SET passed = `+expr+`
		WHERE product_id = (SELECT id FROM products WHERE slug = $1) AND perspective = $2`, slug, persp)
	if err != nil {
		t.Fatalf("set passed of %s/%s to %s: %v", slug, persp, expr, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("set passed of %s/%s: %d rows changed, want 1", slug, persp, n)
	}
}

// computedAt returns when the stored level of slug under persp was last
// written.
func computedAt(t *testing.T, ctx context.Context, s *store.Store, slug, persp string) time.Time {
	t.Helper()
	var at time.Time
	err := s.DB().QueryRowContext(ctx, `SELECT l.computed_at FROM product_levels l JOIN products p ON p.id = l.product_id
		WHERE p.slug = $1 AND l.perspective = $2`, slug, persp).Scan(&at)
	if err != nil {
		t.Fatalf("computed_at of %s/%s: %v", slug, persp, err)
	}
	return at
}

// TestLevels_PassedRoundTrip saves a level with a passed state and one
// without through either write path and reads it back through every read
// path: a Passed comes back equal, a nil Passed is stored as NULL and
// comes back nil.
func TestLevels_PassedRoundTrip(t *testing.T) {
	passed := testPassed(1)
	for _, save := range levelSaves {
		for _, tc := range []struct {
			name   string
			passed *sovereignty.Passed
		}{
			{"kept", &passed},
			{"nil", nil},
		} {
			t.Run(save.name+"/"+tc.name, func(t *testing.T) {
				ctx := context.Background()
				s := storetest.Seeded(t)
				want := mustStoredLevel(t, ctx, s, passedSlug, passedPersp)
				if samePassed(want.Passed, &passed) {
					t.Fatal("the test's passed state is what the seed stored: the test proves nothing")
				}
				want.Passed = tc.passed
				if err := save.save(ctx, s, []catalog.ProductLevel{want}); err != nil {
					t.Fatalf("save: %v", err)
				}
				null, text := storedPassed(t, ctx, s, passedSlug, passedPersp)
				if null != (tc.passed == nil) {
					t.Errorf("stored passed is %q (NULL: %v), want NULL: %v", text, null, tc.passed == nil)
				}
				checkRead(t, ctx, s, want)
			})
		}
	}
}

// TestLevels_InvalidPassedReadsAsNil stores passed values that are no
// passed state and checks that every read path returns the level without
// Passed and without an error; a value of the wrong length is refused by
// the table.
func TestLevels_InvalidPassedReadsAsNil(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	want := mustStoredLevel(t, ctx, s, passedSlug, passedPersp)
	want.Passed = nil
	for name, expr := range map[string]string{
		"levels out of range":          passedSQL(repeated(9, 17)...),
		"levels and vias out of range": passedSQL(repeated(-2, 17)...),
		"a via out of range":           passedSQL(append(repeated(1, 12), 0, 0, -5, 0, 0)...),
	} {
		t.Run(name, func(t *testing.T) {
			setStoredPassed(t, ctx, s, passedSlug, passedPersp, expr)
			checkRead(t, ctx, s, want)
		})
	}
	t.Run("wrong length", func(t *testing.T) {
		_, err := s.DB().ExecContext(ctx, `UPDATE product_levels SET passed = `+passedSQL(repeated(1, 16)...)+`
			WHERE product_id = (SELECT id FROM products WHERE slug = $1) AND perspective = $2`, passedSlug, passedPersp)
		if err == nil {
			t.Error("the table took a passed value of 16 values")
		}
	})
}

// TestClassificationState_CountsMissingPassed checks that a stored level
// without a passed state (written before it was kept) counts as
// unclassified, so that EnsureClassified recomputes the levels, and that
// the recomputation stores it.
func TestClassificationState_CountsMissingPassed(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	n := len(catalog.Perspectives())
	st, err := s.ClassificationState(ctx, n)
	if err != nil {
		t.Fatalf("state: %v", err)
	}
	if st.Unclassified != 0 {
		t.Fatalf("%d levels unclassified after the seed import, want 0", st.Unclassified)
	}
	want := mustStoredLevel(t, ctx, s, passedSlug, passedPersp)
	setStoredPassed(t, ctx, s, passedSlug, passedPersp, "NULL")
	if st, err = s.ClassificationState(ctx, n); err != nil {
		t.Fatalf("state: %v", err)
	}
	if st.Unclassified != 1 {
		t.Fatalf("%d levels unclassified with one stored level's passed NULL, want 1", st.Unclassified)
	}
	recomputed, err := catalog.NewService(s).EnsureClassified(ctx)
	if err != nil || !recomputed {
		t.Fatalf("EnsureClassified: %v, %v; want a recomputation", recomputed, err)
	}
	if st, err = s.ClassificationState(ctx, n); err != nil {
		t.Fatalf("state: %v", err)
	}
	if st.Unclassified != 0 {
		t.Errorf("%d levels unclassified after the recomputation, want 0", st.Unclassified)
	}
	checkRead(t, ctx, s, want)
}

// TestCopyLevels_ComparesPassed checks which levels a full recomputation's
// write (copyLevels) skips as equal to the stored ones: a level equal to
// the stored one in everything is not rewritten, one that differs only in
// Passed, or whose stored passed is NULL or invalid, is.
func TestCopyLevels_ComparesPassed(t *testing.T) {
	other := testPassed(2)
	for _, tc := range []struct {
		name    string
		stored  string                                        // SQL for the stored passed; "" leaves it
		passed  func(*sovereignty.Passed) *sovereignty.Passed // the saved level's Passed from the stored one
		rewrite bool
	}{
		{"identical", "", func(p *sovereignty.Passed) *sovereignty.Passed { return p }, false},
		{"other passed", "", func(*sovereignty.Passed) *sovereignty.Passed { return &other }, true},
		{"nil passed", "", func(*sovereignty.Passed) *sovereignty.Passed { return nil }, true},
		{"stored NULL", "NULL", func(p *sovereignty.Passed) *sovereignty.Passed { return p }, true},
		{"stored invalid", passedSQL(repeated(9, 17)...), func(p *sovereignty.Passed) *sovereignty.Passed { return p }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Seeded(t)
			want := mustStoredLevel(t, ctx, s, passedSlug, passedPersp)
			if samePassed(want.Passed, &other) {
				t.Fatal("the test's passed state is what the seed stored: the test proves nothing")
			}
			want.Passed = tc.passed(want.Passed)
			if tc.stored != "" {
				setStoredPassed(t, ctx, s, passedSlug, passedPersp, tc.stored)
			}
			checkRewrite(t, ctx, s, want, tc.rewrite)
		})
	}
}
