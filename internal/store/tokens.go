package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

// TokenPrefix starts every personal API token, so that a token pasted
// into the wrong place (a log, a repository) is recognisable for what it
// is, and a secret scanner can find it.
const TokenPrefix = "sr_"

// MaxTokenLifetime bounds how long a personal API token may live: a
// forgotten token must not stay usable for ever.
const MaxTokenLifetime = 365 * 24 * time.Hour

// MaxTokenNameLength bounds a token's name, a label for its owner.
const MaxTokenNameLength = 100

// lastUsedGranularity is how often a token's last use is written: every
// request would turn each API call into a write.
const lastUsedGranularity = time.Minute

// APIToken is a personal API token as stored. The secret itself is never
// kept, only its SHA-256, so it is shown to its owner once, at creation.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Scopes     []string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time // nil while not revoked
	LastUsedAt *time.Time // nil while never used
}

// Live reports whether the token may be used at now.
func (t APIToken) Live(now time.Time) bool { return t.RevokedAt == nil && now.Before(t.ExpiresAt) }

// APITokens reads and writes personal API tokens against a clock, so tests
// can move time; Store's token methods use the wall clock.
type APITokens struct {
	st  *Store
	now func() time.Time
}

// APITokens returns the token store using now as its clock (time.Now when
// nil).
func (s *Store) APITokens(now func() time.Time) *APITokens {
	if now == nil {
		now = time.Now
	}
	return &APITokens{st: s, now: now}
}

// CreateToken issues a token for userID named name with scopes, valid
// until expiresAt (at most MaxTokenLifetime ahead). It returns the secret,
// which is not stored and cannot be shown again, and the token's record.
// session names the session that asked, for the audit log.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string, scopes []string, expiresAt time.Time, session string) (string, APIToken, error) {
	return s.APITokens(nil).Create(ctx, userID, name, scopes, expiresAt, session)
}

// Tokens lists a user's tokens, newest first, revoked and expired ones
// included (without secrets: there are none to give).
func (s *Store) Tokens(ctx context.Context, userID int64) ([]APIToken, error) {
	return s.APITokens(nil).List(ctx, userID)
}

// RevokeToken ends token id of userID; catalog.ErrNotFound when the user
// holds no such token. Revoking a revoked token changes nothing.
func (s *Store) RevokeToken(ctx context.Context, userID, id int64, session string) error {
	return s.APITokens(nil).Revoke(ctx, userID, id, session)
}

// TokenUser returns the live token whose secret is secret and the user
// holding it, and records the use; catalog.ErrNotFound when the secret is
// unknown, revoked or expired.
func (s *Store) TokenUser(ctx context.Context, secret string) (APIToken, User, error) {
	return s.APITokens(nil).User(ctx, secret)
}

type apiTokenRow struct {
	ID         int64
	UserID     int64
	Name       string
	Scopes     pq.StringArray `gorm:"type:text[]"`
	CreatedAt  time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time
	LastUsedAt *time.Time
}

func (r apiTokenRow) domain() APIToken {
	return APIToken{ID: r.ID, UserID: r.UserID, Name: r.Name, Scopes: nonNil([]string(r.Scopes)),
		CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt, RevokedAt: r.RevokedAt, LastUsedAt: r.LastUsedAt}
}

// tokenColumns are the columns of apiTokenRow, never the hash.
const tokenColumns = `id, user_id, name, scopes, created_at, expires_at, revoked_at, last_used_at`

// Create is Store.CreateToken on this clock.
func (ts *APITokens) Create(ctx context.Context, userID int64, name string, scopes []string, expiresAt time.Time, session string) (string, APIToken, error) {
	now := ts.now().UTC()
	name = strings.TrimSpace(name)
	var problems []catalog.Problem
	switch {
	case name == "":
		problems = append(problems, catalog.Problem{Path: "name", Key: "error.required", Message: "a token needs a name"})
	case len([]rune(name)) > MaxTokenNameLength:
		problems = append(problems, catalog.Problem{Path: "name", Key: "error.too_long", Message: fmt.Sprintf("a token name has at most %d characters", MaxTokenNameLength)})
	}
	if !expiresAt.After(now) || expiresAt.After(now.Add(MaxTokenLifetime)) {
		problems = append(problems, catalog.Problem{Path: "expires_at", Key: "error.range", Message: "a token expires within a year"})
	}
	if len(problems) > 0 {
		return "", APIToken{}, fmt.Errorf("create token: %w", &catalog.ValidationError{Problems: problems})
	}
	secret := TokenPrefix + randomToken()
	var row apiTokenRow
	err := ts.st.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Raw(`INSERT INTO api_tokens (hash, user_id, name, scopes, created_at, expires_at)
			VALUES (decode(?, 'hex'), ?, ?, ?, ?, ?) RETURNING `+tokenColumns,
			hashToken(secret), userID, name, pq.StringArray(nonNil(scopes)), now, expiresAt.UTC()).Scan(&row).Error
		if err != nil {
			return err
		}
		return appendAudit(tx, tokenEvent(now, userID, session, "token.create", row.ID, nil, map[string]any{
			"name": row.Name, "scopes": nonNil([]string(row.Scopes)), "expires_at": row.ExpiresAt.UTC(),
		}))
	})
	if err != nil {
		return "", APIToken{}, translate(err, "create token")
	}
	return secret, row.domain(), nil
}

// List is Store.Tokens.
func (ts *APITokens) List(ctx context.Context, userID int64) ([]APIToken, error) {
	var rows []apiTokenRow
	err := ts.st.db.WithContext(ctx).Raw(`SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = ?
		ORDER BY created_at DESC, id DESC`, userID).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "list tokens")
	}
	out := make([]APIToken, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// Revoke is Store.RevokeToken on this clock.
func (ts *APITokens) Revoke(ctx context.Context, userID, id int64, session string) error {
	now := ts.now().UTC()
	err := ts.st.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row apiTokenRow
		q := tx.Raw(`SELECT `+tokenColumns+` FROM api_tokens WHERE id = ? AND user_id = ? FOR UPDATE`, id, userID).Scan(&row)
		if q.Error != nil {
			return q.Error
		}
		if q.RowsAffected == 0 {
			// Someone else's token answers the same as none, so ids reveal nothing.
			return fmt.Errorf("token %d: %w", id, catalog.ErrNotFound)
		}
		if row.RevokedAt != nil {
			return nil
		}
		if err := tx.Exec(`UPDATE api_tokens SET revoked_at = ? WHERE id = ?`, now, id).Error; err != nil {
			return err
		}
		return appendAudit(tx, tokenEvent(now, userID, session, "token.revoke", id,
			map[string]any{"name": row.Name}, map[string]any{"revoked_at": now}))
	})
	return translate(err, "revoke token")
}

// User is Store.TokenUser on this clock.
func (ts *APITokens) User(ctx context.Context, secret string) (APIToken, User, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return APIToken{}, User{}, fmt.Errorf("token: %w", catalog.ErrNotFound)
	}
	now := ts.now().UTC()
	db := ts.st.db.WithContext(ctx)
	var row apiTokenRow
	q := db.Raw(`SELECT `+tokenColumns+` FROM api_tokens
		WHERE hash = decode(?, 'hex') AND revoked_at IS NULL AND expires_at > ?`, hashToken(secret), now).Scan(&row)
	if q.Error != nil {
		return APIToken{}, User{}, translate(q.Error, "token")
	}
	if q.RowsAffected == 0 {
		return APIToken{}, User{}, fmt.Errorf("token: %w", catalog.ErrNotFound)
	}
	// The condition makes concurrent requests write at most once a minute.
	res := db.Exec(`UPDATE api_tokens SET last_used_at = ?
		WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)`, now, row.ID, now.Add(-lastUsedGranularity))
	if res.Error != nil {
		return APIToken{}, User{}, translate(res.Error, "record token use")
	}
	if res.RowsAffected > 0 {
		row.LastUsedAt = &now
	}
	u, err := ts.st.User(ctx, row.UserID)
	if err != nil {
		return APIToken{}, User{}, fmt.Errorf("token holder: %w", err)
	}
	return row.domain(), u, nil
}

// tokenEvent is the audit record of a token write; it never holds the
// secret or its hash.
func tokenEvent(at time.Time, userID int64, session, action string, id int64, before, after map[string]any) workflow.Event {
	return workflow.Event{At: at, Actor: strconv.FormatInt(userID, 10), SessionID: session, Action: action,
		Subject: "token:" + strconv.FormatInt(id, 10), Before: rawJSON(before), After: rawJSON(after)}
}

func rawJSON(v map[string]any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("store: marshal audit detail: %v", err)) // plain values always marshal
	}
	return b
}
