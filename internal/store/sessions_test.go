package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
)

// clock is a settable clock for session tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func mustUser(t *testing.T, s *store.Store, subject string) int64 {
	t.Helper()
	id, err := s.UpsertUser(context.Background(), "https://idp.example", subject, "Erika Muster", subject+"@example.org", []string{"vendor"}, []string{"acme"})
	if err != nil {
		t.Fatalf("upsert user: %v", err)
	}
	return id
}

func TestStore_UpsertUser(t *testing.T) {
	ctx := context.Background()
	s := storetest.Migrated(t)
	id := mustUser(t, s, "sub-1")
	again, err := s.UpsertUser(ctx, "https://idp.example", "sub-1", "Erika M.", "new@example.org", []string{"reviewer"}, nil)
	if err != nil || again != id {
		t.Fatalf("second upsert: id %d, %v; want %d", again, err, id)
	}
	u, err := s.User(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "Erika M." || u.Email != "new@example.org" || len(u.Roles) != 1 || u.Roles[0] != "reviewer" || len(u.Organizations) != 0 {
		t.Errorf("user = %+v", u)
	}
	other, err := s.UpsertUser(ctx, "https://other-idp.example", "sub-1", "", "", nil, nil)
	if err != nil || other == id {
		t.Errorf("same subject at another issuer must be another user: %d, %v", other, err)
	}
	if _, err := s.UpsertUser(ctx, "", "x", "", "", nil, nil); err == nil {
		t.Error("empty issuer accepted")
	}
	if _, err := s.User(ctx, 9999); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("unknown user: %v", err)
	}
}

func TestSessions_Expiry(t *testing.T) {
	ctx := context.Background()
	s := storetest.Migrated(t)
	user := mustUser(t, s, "sub-1")
	const idle, absolute = 30 * time.Minute, 8 * time.Hour

	tests := []struct {
		name  string
		steps func(c *clock, ss *store.Sessions, cookie string) // moves time, touches
		live  bool
	}{
		{"fresh", func(*clock, *store.Sessions, string) {}, true},
		{"idle just short of the limit", func(c *clock, _ *store.Sessions, _ string) { c.Advance(idle - time.Second) }, true},
		{"idle at the limit", func(c *clock, _ *store.Sessions, _ string) { c.Advance(idle) }, false},
		{"idle too long", func(c *clock, _ *store.Sessions, _ string) { c.Advance(idle + time.Minute) }, false},
		{"kept alive by use", func(c *clock, ss *store.Sessions, cookie string) {
			for range 4 {
				c.Advance(idle - time.Minute)
				if err := ss.Touch(ctx, cookie); err != nil {
					t.Fatalf("touch: %v", err)
				}
			}
		}, true},
		{"use cannot pass the absolute expiry", func(c *clock, ss *store.Sessions, cookie string) {
			end := c.Now().Add(absolute)
			for c.Now().Before(end) {
				c.Advance(idle / 2)
				_ = ss.Touch(ctx, cookie)
			}
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
			ss := s.Sessions(c.Now)
			cookie, csrf, err := ss.Create(ctx, user, store.SessionOptions{UserAgent: "Firefox", Absolute: absolute, Idle: idle})
			if err != nil {
				t.Fatal(err)
			}
			tc.steps(c, ss, cookie)
			got, err := ss.Get(ctx, cookie)
			if tc.live {
				if err != nil {
					t.Fatalf("session: %v", err)
				}
				if got.UserID != user || got.CSRFToken != csrf || got.IdleTimeout != idle || got.UserAgent != "Firefox" {
					t.Errorf("session = %+v", got)
				}
				return
			}
			if !errors.Is(err, catalog.ErrNotFound) {
				t.Fatalf("expired session: err = %v, want ErrNotFound", err)
			}
			if err := ss.Touch(ctx, cookie); !errors.Is(err, catalog.ErrNotFound) {
				t.Errorf("touching an expired session: %v", err)
			}
		})
	}
}

func TestSessions_CookieIsOpaqueAndStoredHashed(t *testing.T) {
	ctx := context.Background()
	s := storetest.Migrated(t)
	user := mustUser(t, s, "sub-1")
	cookie, csrf, err := s.CreateSession(ctx, user, store.SessionOptions{Absolute: time.Hour, Idle: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if len(cookie) != 43 || len(csrf) != 43 || cookie == csrf {
		t.Errorf("cookie %q, csrf %q: want two distinct 32-byte base64url values", cookie, csrf)
	}
	var n int
	if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE encode(id_hash, 'escape') LIKE '%' || $1 || '%' OR encode(id_hash, 'hex') = $1`, cookie).Scan(&n); err != nil || n != 0 {
		t.Errorf("cookie value found in the table (%d, %v)", n, err)
	}
	sess, err := s.Session(ctx, cookie)
	if err != nil {
		t.Fatal(err)
	}
	if sess.ID == "" || sess.ID == cookie {
		t.Errorf("session id %q must be the hash, not the cookie", sess.ID)
	}
	if _, err := s.Session(ctx, cookie+"x"); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("tampered cookie: %v", err)
	}
}

func TestSessions_Rotate(t *testing.T) {
	ctx := context.Background()
	s := storetest.Migrated(t)
	user := mustUser(t, s, "sub-1")
	c := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	ss := s.Sessions(c.Now)
	old, oldCSRF, err := ss.Create(ctx, user, store.SessionOptions{UserAgent: "Firefox", IDToken: "header.claims.signature", Absolute: 8 * time.Hour, Idle: 30 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := ss.Get(ctx, old)
	c.Advance(10 * time.Minute)
	fresh, csrf, err := ss.Rotate(ctx, old)
	if err != nil {
		t.Fatalf("rotate: %v", err)
	}
	if fresh == old || csrf == oldCSRF {
		t.Fatal("rotation kept the id or the CSRF token")
	}
	if _, err := ss.Get(ctx, old); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("old cookie still works: %v", err)
	}
	got, err := ss.Get(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	if got.UserID != user || got.CSRFToken != csrf || !got.AbsoluteExpiry.Equal(before.AbsoluteExpiry) || got.IdleTimeout != 30*time.Minute ||
		got.IDToken != "header.claims.signature" {
		t.Errorf("rotated session = %+v (before %+v)", got, before)
	}
	if _, _, err := ss.Rotate(ctx, old); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("rotating a revoked cookie again: %v", err)
	}
}

func TestSessions_RevokeAndRevokeAll(t *testing.T) {
	ctx := context.Background()
	s := storetest.Migrated(t)
	alice, bob := mustUser(t, s, "alice"), mustUser(t, s, "bob")
	var aliceCookies []string
	for range 3 {
		c, _, err := s.CreateSession(ctx, alice, store.SessionOptions{Absolute: time.Hour, Idle: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		aliceCookies = append(aliceCookies, c)
	}
	bobCookie, _, _ := s.CreateSession(ctx, bob, store.SessionOptions{Absolute: time.Hour, Idle: time.Hour})

	if err := s.RevokeSession(ctx, aliceCookies[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, aliceCookies[0]); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("revoked session still live: %v", err)
	}
	if err := s.RevokeSession(ctx, "never-issued"); err != nil {
		t.Errorf("revoking an unknown session: %v", err)
	}
	n, err := s.RevokeAllSessions(ctx, alice)
	if err != nil || n != 2 {
		t.Fatalf("revoke all: %d, %v; want 2 live sessions ended", n, err)
	}
	for _, c := range aliceCookies {
		if _, err := s.Session(ctx, c); !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("session survived logout everywhere: %v", err)
		}
	}
	if _, err := s.Session(ctx, bobCookie); err != nil {
		t.Errorf("another user's session ended: %v", err)
	}
	deleted, err := s.DeleteExpiredSessions(ctx, time.Now().Add(2*time.Hour))
	if err != nil || deleted != 4 {
		t.Errorf("delete expired: %d, %v; want 4", deleted, err)
	}
}
