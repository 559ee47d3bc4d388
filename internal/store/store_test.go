package store_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
	"github.com/sovereignty-registry/registry/internal/testdb"
	"github.com/sovereignty-registry/registry/seed"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func mustSeed(t *testing.T) catalog.Dataset {
	t.Helper()
	d, err := seed.Load(seed.Files())
	if err != nil {
		t.Fatalf("load seed: %v", err)
	}
	return d
}

func TestStore_ImportIsIdempotent(t *testing.T) {
	ctx := context.Background()
	s := storetest.Migrated(t)
	svc := catalog.NewService(s)
	d := mustSeed(t)

	first, err := svc.Import(ctx, d)
	if err != nil {
		t.Fatalf("first import: %v", err)
	}
	if first.Created == 0 || first.Updated != 0 {
		t.Fatalf("first import: got %+v, want only creations", first)
	}
	before, err := s.Product(ctx, "nextcloud")
	if err != nil {
		t.Fatalf("product: %v", err)
	}
	again, err := svc.Import(ctx, d)
	if err != nil {
		t.Fatalf("second import: %v", err)
	}
	if again.Changed() {
		t.Fatalf("re-import changed data: %+v", again)
	}
	after, _ := s.Product(ctx, "nextcloud")
	if !after.Product.UpdatedAt.Equal(before.Product.UpdatedAt) {
		t.Errorf("re-import touched updated_at: %v → %v", before.Product.UpdatedAt, after.Product.UpdatedAt)
	}

	for i := range d.Products {
		if d.Products[i].Slug == "nextcloud" {
			d.Products[i].DescriptionEN = "An edited description."
		}
	}
	edited, err := svc.Import(ctx, d)
	if err != nil {
		t.Fatalf("edited import: %v", err)
	}
	if edited.Updated != 1 || edited.Created != 0 {
		t.Fatalf("edited import: got %+v, want exactly one update", edited)
	}
	got, _ := s.Product(ctx, "nextcloud")
	if got.Product.DescriptionEN != "An edited description." {
		t.Errorf("description not updated: %q", got.Product.DescriptionEN)
	}
	if len(got.Product.Dependencies) != len(before.Product.Dependencies) {
		t.Errorf("dependencies lost on update: %d → %d", len(before.Product.Dependencies), len(got.Product.Dependencies))
	}
}

func TestStore_FailedImportChangesNothing(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	before, err := s.Stats(ctx)
	if err != nil {
		t.Fatalf("stats: %v", err)
	}
	d := mustSeed(t)
	d.Products[0].DescriptionEN = "changed before the failure"
	// A dependency on a product the database does not hold: the store must
	// refuse it after the first product's update has already been written.
	d.Products[len(d.Products)-1].Dependencies = append(d.Products[len(d.Products)-1].Dependencies,
		catalog.Dependency{Provider: "does-not-exist", Role: catalog.RoleDNS, DataAccess: catalog.AccessNone, Criticality: catalog.Optional, Sources: []string{d.Sources[0].Key}})
	d.Products[len(d.Products)-1].DescriptionEN = "also changed"
	if _, err := s.Import(ctx, d, nil); err == nil {
		t.Fatal("import with a dangling dependency succeeded")
	}
	after, _ := s.Stats(ctx)
	if after != before {
		t.Errorf("stats changed by a failed import: %+v → %+v", before, after)
	}
	p, _ := s.Product(ctx, d.Products[0].Slug)
	if p.Product.DescriptionEN == "changed before the failure" {
		t.Error("a failed import left a partial update behind")
	}
}

func TestStore_ProductDetail(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	d, err := s.Product(ctx, "perplexity")
	if err != nil {
		t.Fatalf("product: %v", err)
	}
	deps := map[string]catalog.Dependency{}
	for _, dep := range d.Product.Dependencies {
		deps[dep.Provider] = dep
		if len(dep.Sources) == 0 {
			t.Errorf("dependency on %s has no sources", dep.Provider)
		}
		for _, k := range dep.Sources {
			if _, ok := d.Sources[k]; !ok {
				t.Errorf("dependency source %s missing from the detail's sources", k)
			}
		}
	}
	for _, want := range []string{"aws", "cloudflare"} {
		if _, ok := deps[want]; !ok {
			t.Errorf("perplexity: dependency on %s missing (have %v)", want, keys(deps))
		}
	}
	cf, err := s.Product(ctx, "cloudflare")
	if err != nil {
		t.Fatalf("product cloudflare: %v", err)
	}
	dependents := map[string]bool{}
	for _, dep := range cf.Dependents {
		dependents[dep.Consumer.Slug] = true
	}
	for _, want := range []string{"chatgpt", "mistral-le-chat", "perplexity", "x"} {
		if !dependents[want] {
			t.Errorf("cloudflare: dependent %s missing", want)
		}
	}
	if _, err := s.Product(ctx, "no-such-product"); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("unknown product: got %v, want ErrNotFound", err)
	}
}

func TestStore_OrganizationChain(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	d, err := s.Organization(ctx, "google")
	if err != nil {
		t.Fatalf("organization: %v", err)
	}
	if len(d.Chain) == 0 || d.Chain[0].Holder.Slug != "alphabet" {
		t.Fatalf("google's control chain = %+v, want alphabet first", d.Chain)
	}
	if len(d.Products) == 0 {
		t.Error("google has no products")
	}
}

func TestMigrator_DownAndUpAgain(t *testing.T) {
	ctx := context.Background()
	s := storetest.Migrated(t)
	m, err := store.NewMigrator(s.DB())
	if err != nil {
		t.Fatalf("migrator: %v", err)
	}
	if err := m.Reset(ctx); err != nil {
		t.Fatalf("reset: %v", err)
	}
	if err := m.Up(ctx); err != nil {
		t.Fatalf("up after reset: %v", err)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestService_ClassifiesOnImport(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	svc := catalog.NewService(s)
	st, err := s.ClassificationState(ctx, len(catalog.Perspectives()))
	if err != nil {
		t.Fatalf("state: %v", err)
	}
	if st.Unclassified != 0 {
		t.Errorf("%d products lack levels after the seed import", st.Unclassified)
	}
	for _, persp := range []string{"eu", "de", "ch", "eu-ch"} {
		l, err := svc.Level(ctx, "mistral-le-chat", persp)
		if err != nil {
			t.Fatalf("level (%s): %v", persp, err)
		}
		if l.Perspective != persp || l.RuleVersion == "" {
			t.Errorf("level (%s) = %+v", persp, l)
		}
	}
	if _, err := svc.Level(ctx, "mistral-le-chat", "mars"); err == nil {
		t.Error("unknown perspective accepted")
	}
	res, err := svc.Explain(ctx, "mistral-le-chat", "")
	if err != nil {
		t.Fatalf("explain: %v", err)
	}
	stored, _ := svc.Level(ctx, "mistral-le-chat", "eu")
	if int(res.Overall) != stored.Overall {
		t.Errorf("explained level %d differs from stored %d", res.Overall, stored.Overall)
	}
	// Le Chat's own facts are French; its level must come from a US
	// provider it depends on, and the path must say which.
	inherited := false
	for _, c := range res.Binding {
		if c.Path == nil {
			continue
		}
		path := c.Path.String()
		for _, provider := range []string{"Cloudflare", "Microsoft Azure", "Google Cloud", "Cerebras"} {
			if strings.Contains(path, provider) {
				inherited = true
			}
		}
	}
	if !inherited {
		t.Errorf("Le Chat's binding constraints are not inherited from its US providers: %+v", res.Binding)
	}
}

// TestService_HubChangeReachesDependents changes facts of a hub's vendor
// and checks that every dependent's stored level was recomputed in the same
// import: it must equal a fresh evaluation, and some must have changed.
func TestService_HubChangeReachesDependents(t *testing.T) {
	ctx := context.Background()
	s := storetest.Migrated(t)
	svc := catalog.NewService(s)
	d := mustSeed(t)
	if _, err := svc.Import(ctx, d); err != nil {
		t.Fatalf("import: %v", err)
	}
	dependents := []string{"chatgpt", "mistral-le-chat", "perplexity", "x"}
	before := map[string]catalog.ProductLevel{}
	for _, slug := range dependents {
		before[slug], _ = svc.Level(ctx, slug, "eu")
	}
	for i := range d.Organizations {
		if d.Organizations[i].Slug == "cloudflare" {
			d.Organizations[i].HQCountry = catalog.UnknownFact[catalog.Country]()
			d.Organizations[i].RegistrationCountry = catalog.UnknownFact[catalog.Country]()
			d.Organizations[i].PresenceCountries = catalog.UnknownFact[[]catalog.Country]()
		}
	}
	rep, err := svc.Import(ctx, d)
	if err != nil {
		t.Fatalf("re-import: %v", err)
	}
	if rep.Updated != 1 {
		t.Fatalf("want exactly the organisation updated, got %+v", rep)
	}
	changed := 0
	for _, slug := range dependents {
		res, err := svc.Explain(ctx, slug, "eu")
		if err != nil {
			t.Fatalf("explain %s: %v", slug, err)
		}
		after, _ := svc.Level(ctx, slug, "eu")
		if after.Overall != int(res.Overall) || after.Pessimistic != int(res.Pessimistic) || after.Provisional != res.Provisional {
			t.Errorf("%s: stored level %+v is stale; fresh: overall %d, pessimistic %d, provisional %v",
				slug, after, res.Overall, res.Pessimistic, res.Provisional)
		}
		if !reflect.DeepEqual(after, before[slug]) {
			changed++
		}
	}
	if changed == 0 {
		t.Errorf("no dependent's level changed when Cloudflare's jurisdiction became unknown: %+v", before)
	}
}

// TestService_Impact checks the outage expectations of the seed catalogue.
func TestService_Impact(t *testing.T) {
	ctx := context.Background()
	svc := catalog.NewService(storetest.Seeded(t))
	tests := []struct {
		name    string
		failed  []string
		down    []string
		notDown []string
		wantErr bool
	}{
		{name: "cloudflare", failed: []string{"cloudflare"}, down: []string{"chatgpt", "mistral-le-chat", "perplexity", "x"}, notDown: []string{"camocopy", "cloudflare"}},
		{name: "aws", failed: []string{"aws"}, down: []string{"perplexity"}, notDown: []string{"camocopy"}},
		{name: "both", failed: []string{"cloudflare", "aws"}, down: []string{"chatgpt", "perplexity", "x"}},
		{name: "unknown slug", failed: []string{"no-such-thing"}, wantErr: true},
		{name: "nothing failed", failed: nil, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im, err := svc.Impact(ctx, tt.failed)
			if tt.wantErr {
				var ve *catalog.ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("want a validation error, got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("impact: %v", err)
			}
			down := map[string]bool{}
			for _, e := range im.Down {
				down[e.ProductID] = true
				if path, err := im.Path(e.ProductID); err != nil || len(path) < 2 {
					t.Errorf("%s: path %v, %v", e.ProductID, path, err)
				}
			}
			for _, want := range tt.down {
				if !down[want] {
					t.Errorf("%s not down (down: %v)", want, keys(down))
				}
			}
			for _, not := range tt.notDown {
				if down[not] {
					t.Errorf("%s is down but must not be", not)
				}
			}
		})
	}
}
