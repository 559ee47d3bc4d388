package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
)

// tokenClock is a settable clock for token tests.
type tokenClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *tokenClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *tokenClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func mustTokenHolder(t *testing.T, s *store.Store, subject string) int64 {
	t.Helper()
	id, err := s.UpsertUser(context.Background(), "https://idp.example", subject, "Toni Token", subject+"@example.org",
		[]string{"vendor"}, []string{"acme"})
	if err != nil {
		t.Fatalf("upsert user: %v", err)
	}
	return id
}

func mustToken(t *testing.T, ts *store.APITokens, user int64, name string, expires time.Time) (string, store.APIToken) {
	t.Helper()
	secret, tok, err := ts.Create(context.Background(), user, name, []string{"submissions:read", "submissions:write"}, expires, "sess-1")
	if err != nil {
		t.Fatalf("create token: %v", err)
	}
	return secret, tok
}

func TestAPITokens_Create(t *testing.T) {
	ctx := context.Background()
	s := storetest.Migrated(t)
	user := mustTokenHolder(t, s, "sub-1")
	c := &tokenClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	ts := s.APITokens(c.Now)

	secret, tok, err := ts.Create(ctx, user, "  CI pipeline ", []string{"submissions:write"}, c.Now().Add(30*24*time.Hour), "sess-1")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the secret is recognisable and random", func(t *testing.T) {
		if !strings.HasPrefix(secret, store.TokenPrefix) || len(secret) < len(store.TokenPrefix)+40 {
			t.Errorf("secret %q", secret)
		}
		other, _ := mustToken(t, ts, user, "other", c.Now().Add(time.Hour))
		if other == secret {
			t.Error("two tokens with the same secret")
		}
	})
	t.Run("the record", func(t *testing.T) {
		if tok.ID == 0 || tok.UserID != user || tok.Name != "CI pipeline" || len(tok.Scopes) != 1 || tok.Scopes[0] != "submissions:write" ||
			!tok.CreatedAt.Equal(c.Now()) || !tok.ExpiresAt.Equal(c.Now().Add(30*24*time.Hour)) || tok.RevokedAt != nil || tok.LastUsedAt != nil {
			t.Errorf("token = %+v", tok)
		}
	})
	t.Run("only the SHA-256 is stored", func(t *testing.T) {
		var hash []byte
		if err := s.DB().QueryRowContext(ctx, `SELECT hash FROM api_tokens WHERE id = $1`, tok.ID).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(secret))
		if !bytes.Equal(hash, sum[:]) {
			t.Errorf("stored hash %x, want the SHA-256 of the secret", hash)
		}
		var n int
		err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM api_tokens t WHERE strpos(t::text, $1) > 0`, strings.TrimPrefix(secret, store.TokenPrefix)).Scan(&n)
		if err != nil || n != 0 {
			t.Errorf("the secret appears in %d rows (%v)", n, err)
		}
	})
	t.Run("audited without the secret", func(t *testing.T) {
		evs, err := s.AuditEvents(ctx, store.AuditFilter{Action: "token.create", Subject: "token:" + strconv.FormatInt(tok.ID, 10)})
		if err != nil || len(evs) != 1 {
			t.Fatalf("events %+v, %v", evs, err)
		}
		ev := evs[0]
		if ev.Actor != strconv.FormatInt(user, 10) || ev.SessionID != "sess-1" || !strings.Contains(string(ev.After), `"CI pipeline"`) {
			t.Errorf("event = %+v (after %s)", ev, ev.After)
		}
		if strings.Contains(string(ev.After), strings.TrimPrefix(secret, store.TokenPrefix)) {
			t.Error("the audit event holds the secret")
		}
	})
	t.Run("invalid", func(t *testing.T) {
		tests := []struct {
			name    string
			tname   string
			expires time.Time
			path    string
		}{
			{"no name", " ", c.Now().Add(time.Hour), "name"},
			{"name too long", strings.Repeat("x", store.MaxTokenNameLength+1), c.Now().Add(time.Hour), "name"},
			{"already expired", "x", c.Now(), "expires_at"},
			{"longer than a year", "x", c.Now().Add(store.MaxTokenLifetime + time.Minute), "expires_at"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, _, err := ts.Create(ctx, user, tt.tname, nil, tt.expires, "")
				var ve *catalog.ValidationError
				if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Path != tt.path {
					t.Errorf("err = %v, want a problem at %s", err, tt.path)
				}
			})
		}
		if _, _, err := ts.Create(ctx, user, "x", nil, c.Now().Add(store.MaxTokenLifetime), ""); err != nil {
			t.Errorf("exactly a year: %v", err)
		}
	})
}

func TestAPITokens_User(t *testing.T) {
	ctx := context.Background()
	s := storetest.Migrated(t)
	user := mustTokenHolder(t, s, "sub-1")
	c := &tokenClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	ts := s.APITokens(c.Now)
	secret, tok := mustToken(t, ts, user, "ci", c.Now().Add(24*time.Hour))

	got, u, err := ts.User(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != tok.ID || u.ID != user || len(u.Organizations) != 1 || u.Organizations[0] != "acme" || len(u.Roles) != 1 || u.Roles[0] != "vendor" {
		t.Errorf("token %+v, user %+v", got, u)
	}
	t.Run("last use recorded at most once a minute", func(t *testing.T) {
		first := c.Now()
		if got.LastUsedAt == nil || !got.LastUsedAt.Equal(first) {
			t.Fatalf("last used %v, want %v", got.LastUsedAt, first)
		}
		c.Advance(30 * time.Second)
		again, _, err := ts.User(ctx, secret)
		if err != nil || again.LastUsedAt == nil || !again.LastUsedAt.Equal(first) {
			t.Errorf("within the minute: last used %v, %v; want %v", again.LastUsedAt, err, first)
		}
		c.Advance(31 * time.Second)
		later, _, err := ts.User(ctx, secret)
		if err != nil || later.LastUsedAt == nil || !later.LastUsedAt.Equal(c.Now()) {
			t.Errorf("after a minute: last used %v, %v; want %v", later.LastUsedAt, err, c.Now())
		}
		list, err := ts.List(ctx, user)
		if err != nil || len(list) != 1 || list[0].LastUsedAt == nil || !list[0].LastUsedAt.Equal(c.Now()) {
			t.Errorf("list = %+v, %v", list, err)
		}
	})
	t.Run("refused", func(t *testing.T) {
		tests := []struct{ name, secret string }{
			{"unknown", store.TokenPrefix + "nope"},
			{"without the prefix", strings.TrimPrefix(secret, store.TokenPrefix)},
			{"empty", ""},
			{"in upper case", strings.ToUpper(secret)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if _, _, err := ts.User(ctx, tt.secret); !errors.Is(err, catalog.ErrNotFound) {
					t.Errorf("err = %v, want not found", err)
				}
			})
		}
	})
	t.Run("expired", func(t *testing.T) {
		short, _ := mustToken(t, ts, user, "short", c.Now().Add(time.Hour))
		c.Advance(time.Hour - time.Second)
		if _, _, err := ts.User(ctx, short); err != nil {
			t.Fatalf("a second before expiry: %v", err)
		}
		c.Advance(time.Second)
		if _, _, err := ts.User(ctx, short); !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("at expiry: %v, want not found", err)
		}
	})
}

func TestAPITokens_Revoke(t *testing.T) {
	ctx := context.Background()
	s := storetest.Migrated(t)
	owner := mustTokenHolder(t, s, "sub-1")
	other := mustTokenHolder(t, s, "sub-2")
	c := &tokenClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	ts := s.APITokens(c.Now)
	secret, tok := mustToken(t, ts, owner, "ci", c.Now().Add(24*time.Hour))
	keep, _ := mustToken(t, ts, owner, "keep", c.Now().Add(24*time.Hour))

	t.Run("not someone else's", func(t *testing.T) {
		if err := ts.Revoke(ctx, other, tok.ID, ""); !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("err = %v, want not found", err)
		}
		if _, _, err := ts.User(ctx, secret); err != nil {
			t.Errorf("the token stopped working: %v", err)
		}
	})
	t.Run("unknown id", func(t *testing.T) {
		if err := ts.Revoke(ctx, owner, tok.ID+1000, ""); !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("err = %v, want not found", err)
		}
	})
	t.Run("own token", func(t *testing.T) {
		c.Advance(time.Minute)
		if err := ts.Revoke(ctx, owner, tok.ID, "sess-2"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := ts.User(ctx, secret); !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("revoked token still works: %v", err)
		}
		if _, _, err := ts.User(ctx, keep); err != nil {
			t.Errorf("the other token stopped working: %v", err)
		}
		list, err := ts.List(ctx, owner)
		if err != nil || len(list) != 2 {
			t.Fatalf("list = %+v, %v", list, err)
		}
		for _, l := range list {
			if revoked := l.RevokedAt != nil; revoked != (l.ID == tok.ID) {
				t.Errorf("token %d (%s): revoked at %v", l.ID, l.Name, l.RevokedAt)
			}
			if l.ID == tok.ID && (!l.RevokedAt.Equal(c.Now()) || l.Live(c.Now())) {
				t.Errorf("revoked at %v, want %v", l.RevokedAt, c.Now())
			}
		}
		if list[0].Name != "keep" {
			t.Errorf("newest first: %s first", list[0].Name)
		}
	})
	t.Run("again is no error and no event", func(t *testing.T) {
		if err := ts.Revoke(ctx, owner, tok.ID, "sess-2"); err != nil {
			t.Fatal(err)
		}
		evs, err := s.AuditEvents(ctx, store.AuditFilter{Action: "token.revoke"})
		if err != nil || len(evs) != 1 {
			t.Fatalf("events %+v, %v", evs, err)
		}
		if evs[0].Subject != "token:"+strconv.FormatInt(tok.ID, 10) || evs[0].Actor != strconv.FormatInt(owner, 10) || evs[0].SessionID != "sess-2" {
			t.Errorf("event = %+v", evs[0])
		}
	})
	t.Run("others see none of them", func(t *testing.T) {
		list, err := ts.List(ctx, other)
		if err != nil || len(list) != 0 {
			t.Errorf("list = %+v, %v", list, err)
		}
	})
}
