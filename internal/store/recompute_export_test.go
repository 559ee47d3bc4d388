package store

import (
	"context"
	"database/sql"

	"gorm.io/gorm"

	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// WithoutEvidence exposes withoutEvidence to the tests of package store_test.
var WithoutEvidence = withoutEvidence

// ScanStates runs the pgx path of a write's StoredStates (which it takes
// for many products only) inside a transaction on s.
func ScanStates(ctx context.Context, s *Store, slugs []string, ruleVersion string, fn func(i int, perspective string, st sovereignty.State)) error {
	return s.pinnedTx(ctx, func(tx *gorm.DB, conn *sql.Conn) error {
		return pinnedGraphStore{graphStore: graphStore{db: tx}, conn: conn}.scanStates(ctx, slugs, ruleVersion, fn)
	})
}
