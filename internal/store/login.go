package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// LoginState is a sign-in in progress.
type LoginState struct {
	Nonce, Verifier, Next string
	CreatedAt             time.Time
}

// SaveLoginState keeps a sign-in in progress under its state value (only a
// hash of it is stored) and drops attempts older than an hour.
func (s *Store) SaveLoginState(ctx context.Context, state string, ls LoginState) error {
	h := sha256.Sum256([]byte(state))
	db := s.db.WithContext(ctx)
	if err := db.Exec(`DELETE FROM login_states WHERE created_at < now() - interval '1 hour'`).Error; err != nil {
		return translate(err, "expire login states")
	}
	// The hash travels as hex: gorm would expand a []byte into a list.
	err := db.Exec(`INSERT INTO login_states (state_hash, nonce, verifier, next) VALUES (decode(?, 'hex'), ?, ?, ?)`,
		hex.EncodeToString(h[:]), ls.Nonce, ls.Verifier, ls.Next).Error
	return translate(err, "save login state")
}

// TakeLoginState returns and deletes the sign-in saved under state, so a
// callback can be answered once; catalog.ErrNotFound when there is none.
func (s *Store) TakeLoginState(ctx context.Context, state string) (LoginState, error) {
	h := sha256.Sum256([]byte(state))
	var rows []LoginState
	err := s.db.WithContext(ctx).Raw(`DELETE FROM login_states WHERE state_hash = decode(?, 'hex')
		RETURNING nonce, verifier, next, created_at`, hex.EncodeToString(h[:])).Scan(&rows).Error
	if err != nil {
		return LoginState{}, translate(err, "take login state")
	}
	if len(rows) == 0 {
		return LoginState{}, catalog.ErrNotFound
	}
	return rows[0], nil
}
