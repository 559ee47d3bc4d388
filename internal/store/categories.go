package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

// ManagedCategory is a category as the admin pages see it: with its number
// of products and the version that guards it against lost updates.
type ManagedCategory struct {
	catalog.Category
	Products int
	Version  int
}

// maxCategoryName bounds a category's names, which appear in facets and
// breadcrumbs.
const maxCategoryName = 120

type managedCategoryRow struct {
	Slug     string
	NameDE   string `gorm:"column:name_de"`
	NameEN   string `gorm:"column:name_en"`
	Products int
	Version  int
}

func (r managedCategoryRow) domain() ManagedCategory {
	return ManagedCategory{Category: catalog.Category{Slug: r.Slug, NameDE: r.NameDE, NameEN: r.NameEN}, Products: r.Products, Version: r.Version}
}

const managedCategorySelect = `SELECT c.slug, c.name_de, c.name_en, c.version,
	(SELECT count(*) FROM products p WHERE p.category_id = c.id) AS products
	FROM categories c`

// ManagedCategories lists the categories by slug with their product counts
// and versions.
func (s *Store) ManagedCategories(ctx context.Context) ([]ManagedCategory, error) {
	var rows []managedCategoryRow
	if err := s.db.WithContext(ctx).Raw(managedCategorySelect + ` ORDER BY c.slug`).Scan(&rows).Error; err != nil {
		return nil, translate(err, "categories")
	}
	out := make([]ManagedCategory, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

func managedCategory(db *gorm.DB, slug, lock string) (ManagedCategory, error) {
	var r managedCategoryRow
	q := db.Raw(managedCategorySelect+` WHERE c.slug = ?`+lock, slug).Scan(&r)
	if q.Error != nil {
		return ManagedCategory{}, translate(q.Error, "category "+slug)
	}
	if q.RowsAffected == 0 {
		return ManagedCategory{}, fmt.Errorf("category %s: %w", slug, catalog.ErrNotFound)
	}
	return r.domain(), nil
}

// CreateCategory adds category c and records ev (Subject and After filled
// in when empty) in the same transaction, which also moves the catalogue's
// generation on, so cached category lists are dropped. An invalid category
// or a slug in use is a *catalog.ValidationError.
func (s *Store) CreateCategory(ctx context.Context, c catalog.Category, ev workflow.Event) (ManagedCategory, error) {
	c = trimCategory(c)
	if err := validateCategory(c); err != nil {
		return ManagedCategory{}, err
	}
	var out ManagedCategory
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`INSERT INTO categories (slug, name_de, name_en) VALUES (?, ?, ?) ON CONFLICT (slug) DO NOTHING`,
			c.Slug, c.NameDE, c.NameEN)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &catalog.ValidationError{Problems: []catalog.Problem{{Path: "slug", Key: "error.slug_taken",
				Message: fmt.Sprintf("a category %q exists already", c.Slug)}}}
		}
		var err error
		if out, err = managedCategory(tx, c.Slug, ""); err != nil {
			return err
		}
		if ev.Subject == "" {
			ev.Subject = "category:" + c.Slug
		}
		if ev.After == nil {
			ev.After = categoryJSON(out)
		}
		return categoryChanged(tx, ev)
	})
	return out, translate(err, "create category "+c.Slug)
}

// UpdateCategory renames category c.Slug (the slug itself stays: public
// links name it) if it is still at expectedVersion, and records ev
// (Subject, Before and After filled in when empty) in the same
// transaction, together with the products' search text, which holds the
// category's names, and the catalogue's generation. A stale version is
// catalog.ErrConflict and changes nothing.
func (s *Store) UpdateCategory(ctx context.Context, c catalog.Category, expectedVersion int, ev workflow.Event) (ManagedCategory, error) {
	c = trimCategory(c)
	if err := validateCategory(c); err != nil {
		return ManagedCategory{}, err
	}
	var out ManagedCategory
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := managedCategory(tx, c.Slug, " FOR UPDATE OF c")
		if err != nil {
			return err
		}
		if cur.Version != expectedVersion {
			return fmt.Errorf("%w: category %s is at version %d, the change was based on %d", catalog.ErrConflict, c.Slug, cur.Version, expectedVersion)
		}
		if err := tx.Exec(`UPDATE categories SET name_de = ?, name_en = ?, version = version + 1 WHERE slug = ?`,
			c.NameDE, c.NameEN, c.Slug).Error; err != nil {
			return err
		}
		// The search text of the category's products includes its names.
		if err := tx.Exec(refreshDerivedSQL+` AND c.slug = ?`, c.Slug).Error; err != nil {
			return err
		}
		if out, err = managedCategory(tx, c.Slug, ""); err != nil {
			return err
		}
		if ev.Subject == "" {
			ev.Subject = "category:" + c.Slug
		}
		if ev.Before == nil {
			ev.Before = categoryJSON(cur)
		}
		if ev.After == nil {
			ev.After = categoryJSON(out)
		}
		return categoryChanged(tx, ev)
	})
	return out, translate(err, "update category "+c.Slug)
}

// categoryChanged records ev and counts the change in catalog_state, as
// SaveLevels does, so every instance drops its cached categories.
func categoryChanged(tx *gorm.DB, ev workflow.Event) error {
	if err := tx.Exec(`UPDATE catalog_state SET generation = generation + 1`).Error; err != nil {
		return err
	}
	return appendAudit(tx, ev)
}

func trimCategory(c catalog.Category) catalog.Category {
	return catalog.Category{Slug: strings.TrimSpace(c.Slug), NameDE: strings.TrimSpace(c.NameDE), NameEN: strings.TrimSpace(c.NameEN)}
}

// validateCategory is catalog.ValidateCategory plus the length bound.
func validateCategory(c catalog.Category) error {
	var problems []catalog.Problem
	var ve *catalog.ValidationError
	if errors.As(catalog.ValidateCategory(c), &ve) {
		problems = ve.Problems
	}
	for _, f := range []struct{ path, v string }{{"name_de", c.NameDE}, {"name_en", c.NameEN}} {
		if utf8.RuneCountInString(f.v) > maxCategoryName {
			problems = append(problems, catalog.Problem{Path: f.path, Key: "error.too_long",
				Message: fmt.Sprintf("at most %d characters", maxCategoryName)})
		}
	}
	if len(problems) > 0 {
		return &catalog.ValidationError{Problems: problems}
	}
	return nil
}

// categoryJSON is the audit snapshot of a category.
func categoryJSON(c ManagedCategory) json.RawMessage {
	b, _ := json.Marshal(map[string]any{"slug": c.Slug, "name_de": c.NameDE, "name_en": c.NameEN, "version": c.Version})
	return b // a map of strings and ints always marshals
}
