package web

import (
	"context"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/views"
)

// classificationCacheSize bounds the product classifications kept per
// catalogue service; a classification (explanation, dependent counts,
// tree) is a few tens of KB.
const classificationCacheSize = 64

// classificationCacheFrom is how many products must depend on a product
// (transitively) for its classification to be kept: counting a hub's tens
// of thousands of dependents costs more than the rest of its page, while
// the classification of a product few depend on is cheap to redo (and
// would only push the hubs out of the cache). Web.classificationFrom
// starts here; tests lower it.
const classificationCacheFrom = 200

// generationer is the part of the catalogue service that tells the
// catalogue's generation (searchcache.Service and catalog.Service have it).
type generationer interface {
	Generation(ctx context.Context) (int64, error)
}

// classificationKey names one product page's classification: it depends on
// the catalogue (its generation), the product, the perspective and the day
// the facts are judged at (staleness is measured in days: sources carry
// dates).
type classificationKey struct {
	gen         int64
	slug, persp string
	day         string
}

// productPage returns a product's detail and its classification under
// persp, the classification remembered per generation for products many
// depend on, and the generation the page is rendered from (its data is at
// least that new). Without a way to learn the generation (or a catalogue
// service that cannot key a map) it computes every time and gen is 0.
func (w *Web) productPage(ctx context.Context, slug, persp string) (d catalog.ProductDetail, cl views.Classification, gen int64, err error) {
	cache, key, err := w.classificationCache(ctx, slug, persp)
	if err != nil {
		return d, cl, 0, err
	}
	if cache != nil {
		if cl, ok := cache.Get(key); ok {
			d, err := w.cat.Product(ctx, slug)
			return d, cl, key.gen, err
		}
	}
	d, ex, err := w.cat.ProductExplained(ctx, slug, persp)
	if err != nil {
		return d, cl, 0, err
	}
	cl, err = w.classification(ctx, d, ex, persp)
	if err == nil && cache != nil && cl.AllDependents >= w.classificationFrom {
		cache.Add(key, cl)
	}
	return d, cl, key.gen, err
}

// classificationCache returns the classification cache and the key of
// slug's classification under persp; a nil cache when the catalogue
// service cannot tell its generation.
func (w *Web) classificationCache(ctx context.Context, slug, persp string) (*lru.Cache[classificationKey, views.Classification], classificationKey, error) {
	g, ok := w.cat.(generationer)
	if !ok {
		return nil, classificationKey{}, nil
	}
	gen, err := g.Generation(ctx)
	if err != nil {
		return nil, classificationKey{}, err
	}
	key := classificationKey{gen: gen, slug: slug, persp: persp, day: time.Now().Format(time.DateOnly)}
	return w.classifications, key, nil
}

// newClassificationCache returns an empty classification cache.
func newClassificationCache() *lru.Cache[classificationKey, views.Classification] {
	c, err := lru.New[classificationKey, views.Classification](classificationCacheSize)
	if err != nil {
		panic(err) // only for a size below 1
	}
	return c
}
