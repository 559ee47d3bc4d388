package browsertest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAxe_FindsViolations shows that the accessibility check can fail: a
// page with an unlabeled input and an image without alt text has
// violations, a clean page has none.
func TestAxe_FindsViolations(t *testing.T) {
	ctx := New(t)
	pages := map[string]string{
		"/clean": `<!DOCTYPE html><html lang="en"><head><title>Clean</title></head><body><main><h1>Hello</h1><label for="q">Search</label><input id="q"></main></body></html>`,
		"/dirty": `<!DOCTYPE html><html><head><title>Dirty</title></head><body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input></main></body></html>`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, pages[r.URL.Path])
	}))
	defer srv.Close()

	tests := []struct {
		path     string
		wantIDs  []string
		wantNone bool
	}{
		{path: "/clean", wantNone: true},
		{path: "/dirty", wantIDs: []string{"image-alt", "label", "html-has-lang"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+tt.path)); err != nil {
				t.Fatalf("navigate: %v", err)
			}
			v, err := Axe(ctx)
			if err != nil {
				t.Fatalf("axe: %v", err)
			}
			if tt.wantNone && len(v) > 0 {
				t.Fatalf("clean page has violations: %+v", v)
			}
			found := map[string]bool{}
			for _, x := range v {
				found[x.ID] = true
			}
			for _, id := range tt.wantIDs {
				if !found[id] {
					t.Errorf("violation %s not reported (got %v)", id, found)
				}
			}
		})
	}
}
