package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// Session is a server-side login session. The cookie value itself is never
// stored: ID is the hex SHA-256 of it, safe to log and to record in the
// audit log.
type Session struct {
	ID        string
	UserID    int64
	CSRFToken string
	UserAgent string
	// IDToken is the provider's raw ID token of the sign-in, sent back as
	// id_token_hint when the user signs out; empty when none was kept.
	IDToken        string
	CreatedAt      time.Time
	LastSeenAt     time.Time
	IdleTimeout    time.Duration
	AbsoluteExpiry time.Time
}

// SessionOptions describe a session to start.
type SessionOptions struct {
	// UserAgent is the browser's User-Agent header, kept (cut to 512 bytes)
	// so a user can tell their sessions apart.
	UserAgent string
	// IDToken is the provider's raw ID token of this sign-in, kept for
	// RP-initiated logout; may be empty.
	IDToken string
	// Absolute and Idle bound the session: it ends Idle after its last use
	// and Absolute after its start at the latest. Both must be positive.
	Absolute, Idle time.Duration
}

// User is a person known from an OpenID provider, keyed by (issuer,
// subject); roles and organisations are plain strings here, interpreted by
// internal/auth.
type User struct {
	ID            int64
	Issuer        string
	Subject       string
	Name          string
	Email         string
	Roles         []string
	Organizations []string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Sessions reads and writes sessions against a clock, so tests can move
// time; Store's session methods use the wall clock.
type Sessions struct {
	st  *Store
	now func() time.Time
}

// Sessions returns the session store using now as its clock (time.Now when
// nil).
func (s *Store) Sessions(now func() time.Time) *Sessions {
	if now == nil {
		now = time.Now
	}
	return &Sessions{st: s, now: now}
}

// CreateSession starts a session for userID as opts describe. It returns
// the cookie value (32 random bytes, base64url) and the session's CSRF
// token.
func (s *Store) CreateSession(ctx context.Context, userID int64, opts SessionOptions) (cookie, csrf string, err error) {
	return s.Sessions(nil).Create(ctx, userID, opts)
}

// Session returns the live session for a cookie value; catalog.ErrNotFound
// when it is unknown, revoked, idle too long or past its absolute expiry.
func (s *Store) Session(ctx context.Context, cookie string) (Session, error) {
	return s.Sessions(nil).Get(ctx, cookie)
}

// TouchSession records use of a live session, extending its idle window.
func (s *Store) TouchSession(ctx context.Context, cookie string) error {
	return s.Sessions(nil).Touch(ctx, cookie)
}

// RotateSession replaces a live session by a new one with a new id and a
// new CSRF token (same user, same absolute expiry) and revokes the old.
func (s *Store) RotateSession(ctx context.Context, old string) (cookie, csrf string, err error) {
	return s.Sessions(nil).Rotate(ctx, old)
}

// RevokeSession ends one session (logout). Revoking an unknown or already
// revoked session is not an error.
func (s *Store) RevokeSession(ctx context.Context, cookie string) error {
	return s.Sessions(nil).Revoke(ctx, cookie)
}

// RevokeAllSessions ends every session of a user (logout everywhere) and
// says how many were live.
func (s *Store) RevokeAllSessions(ctx context.Context, userID int64) (int64, error) {
	res := s.db.WithContext(ctx).Exec(`UPDATE sessions SET revoked = true WHERE user_id = ? AND NOT revoked`, userID)
	return res.RowsAffected, translate(res.Error, "revoke sessions")
}

// Create is Store.CreateSession on this clock.
func (ss *Sessions) Create(ctx context.Context, userID int64, opts SessionOptions) (cookie, csrf string, err error) {
	if opts.Absolute <= 0 || opts.Idle <= 0 {
		return "", "", errors.New("create session: absolute and idle timeouts must be positive")
	}
	now := ss.now().UTC()
	cookie, csrf, err = ss.insert(ss.st.db.WithContext(ctx), userID, opts.UserAgent, opts.IDToken, now, now.Add(opts.Absolute), opts.Idle)
	return cookie, csrf, translate(err, "create session")
}

func (ss *Sessions) insert(db *gorm.DB, userID int64, userAgent, idToken string, now, expiry time.Time, idle time.Duration) (cookie, csrf string, err error) {
	cookie, csrf = randomToken(), randomToken()
	if len(userAgent) > 512 {
		userAgent = userAgent[:512]
	}
	err = db.Exec(`INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, idle_timeout, absolute_expiry, csrf_token, user_agent, id_token)
		VALUES (decode(?, 'hex'), ?, ?, ?, ? * interval '1 microsecond', ?, ?, ?, ?)`,
		hashToken(cookie), userID, now, now, idle.Microseconds(), expiry, csrf, userAgent, idToken).Error
	if err != nil {
		return "", "", err
	}
	return cookie, csrf, nil
}

type sessionRow struct {
	IDHash         []byte
	UserID         int64
	CSRFToken      string
	UserAgent      string
	IDToken        string
	CreatedAt      time.Time
	LastSeenAt     time.Time
	IdleMicros     int64
	AbsoluteExpiry time.Time
}

// liveSession is the condition of a usable session at a given time.
const liveSession = `id_hash = decode(?, 'hex') AND NOT revoked AND absolute_expiry > ? AND last_seen_at + idle_timeout > ?`

// Get is Store.Session on this clock.
func (ss *Sessions) Get(ctx context.Context, cookie string) (Session, error) {
	return ss.get(ss.st.db.WithContext(ctx), cookie, "")
}

func (ss *Sessions) get(db *gorm.DB, cookie, lock string) (Session, error) {
	now := ss.now().UTC()
	var r sessionRow
	q := db.Raw(`SELECT id_hash, user_id, csrf_token, user_agent, id_token, created_at, last_seen_at,
			(extract(epoch FROM idle_timeout) * 1000000)::bigint AS idle_micros, absolute_expiry
		FROM sessions WHERE `+liveSession+lock, hashToken(cookie), now, now).Scan(&r)
	if q.Error != nil {
		return Session{}, translate(q.Error, "session")
	}
	if q.RowsAffected == 0 {
		return Session{}, fmt.Errorf("session: %w", catalog.ErrNotFound)
	}
	return Session{
		ID: hex.EncodeToString(r.IDHash), UserID: r.UserID, CSRFToken: r.CSRFToken, UserAgent: r.UserAgent,
		IDToken: r.IDToken, CreatedAt: r.CreatedAt, LastSeenAt: r.LastSeenAt, IdleTimeout: time.Duration(r.IdleMicros) * time.Microsecond,
		AbsoluteExpiry: r.AbsoluteExpiry,
	}, nil
}

// Touch is Store.TouchSession on this clock; catalog.ErrNotFound when the
// session is no longer live.
func (ss *Sessions) Touch(ctx context.Context, cookie string) error {
	now := ss.now().UTC()
	res := ss.st.db.WithContext(ctx).Exec(`UPDATE sessions SET last_seen_at = ? WHERE `+liveSession, now, hashToken(cookie), now, now)
	if res.Error != nil {
		return translate(res.Error, "touch session")
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("touch session: %w", catalog.ErrNotFound)
	}
	return nil
}

// Rotate is Store.RotateSession on this clock. The old session must be
// live; it is revoked in the same transaction, so a cookie can be rotated
// only once.
func (ss *Sessions) Rotate(ctx context.Context, old string) (cookie, csrf string, err error) {
	err = ss.st.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := ss.get(tx, old, " FOR UPDATE")
		if err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE sessions SET revoked = true WHERE id_hash = decode(?, 'hex')`, hashToken(old)).Error; err != nil {
			return err
		}
		// The sign-in is the same, so its ID token stays valid as a logout hint.
		cookie, csrf, err = ss.insert(tx, cur.UserID, cur.UserAgent, cur.IDToken, ss.now().UTC(), cur.AbsoluteExpiry, cur.IdleTimeout)
		return err
	})
	if err != nil {
		return "", "", translate(err, "rotate session")
	}
	return cookie, csrf, nil
}

// Revoke is Store.RevokeSession.
func (ss *Sessions) Revoke(ctx context.Context, cookie string) error {
	err := ss.st.db.WithContext(ctx).Exec(`UPDATE sessions SET revoked = true WHERE id_hash = decode(?, 'hex')`, hashToken(cookie)).Error
	return translate(err, "revoke session")
}

// DeleteExpiredSessions removes sessions that ended (revoked or expired)
// before cutoff; a periodic job calls it.
func (s *Store) DeleteExpiredSessions(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Exec(`DELETE FROM sessions
		WHERE absolute_expiry < ? OR last_seen_at + idle_timeout < ? OR (revoked AND last_seen_at < ?)`, cutoff, cutoff, cutoff)
	return res.RowsAffected, translate(res.Error, "delete expired sessions")
}

// DeleteExpiredLoginStates removes sign-ins in progress that started before
// cutoff: a browser that went to the provider and never came back leaves
// one behind, and the relying party refuses it after oidc.DefaultPendingTTL
// anyway. A periodic job calls it, next to DeleteExpiredSessions.
func (s *Store) DeleteExpiredLoginStates(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Exec(`DELETE FROM login_states WHERE created_at < ?`, cutoff)
	return res.RowsAffected, translate(res.Error, "delete expired login states")
}

// UpsertUser records a user seen at login, keyed by (issuer, subject), and
// returns its id. Name, e-mail, roles and organisations are replaced by the
// given values from the claims; roles and organisations assigned by admins
// are kept apart and added by User.
func (s *Store) UpsertUser(ctx context.Context, issuer, subject, name, email string, roles, orgs []string) (int64, error) {
	if issuer == "" || subject == "" {
		return 0, &catalog.ValidationError{Problems: []catalog.Problem{{Path: "subject", Key: "error.required", Message: "issuer and subject are required"}}}
	}
	var id int64
	err := s.db.WithContext(ctx).Raw(`INSERT INTO users (issuer, subject, name, email, roles, organizations)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (issuer, subject) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email,
			roles = EXCLUDED.roles, organizations = EXCLUDED.organizations, updated_at = now()
		RETURNING id`, issuer, subject, name, email, pq.StringArray(nonNil(roles)), pq.StringArray(nonNil(orgs))).Scan(&id).Error
	if err != nil {
		return 0, translate(err, "upsert user")
	}
	return id, nil
}

type userRow struct {
	ID            int64
	Issuer        string
	Subject       string
	Name          string
	Email         string
	Roles         pq.StringArray `gorm:"type:text[]"`
	Organizations pq.StringArray `gorm:"type:text[]"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (userRow) TableName() string { return "users" }

// User returns the user with id, with the effective roles and
// organisations (claims and admin assignments, see users.go);
// catalog.ErrNotFound when there is none.
func (s *Store) User(ctx context.Context, id int64) (User, error) {
	m, err := s.managedUser(s.db.WithContext(ctx), id, "")
	return m.User, err
}

// randomToken returns 32 random bytes, base64url without padding.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is what the database keeps of a cookie or API token: its
// SHA-256, passed as hex (gorm would expand a []byte argument into a list).
func hashToken(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:])
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
