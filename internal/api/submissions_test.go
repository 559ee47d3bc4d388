package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sovereignty-registry/registry/internal/api"
	"github.com/sovereignty-registry/registry/internal/auth"
	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/server"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

// storeTokens is api.TokenAuth on the real store, as cmd/registry wires it.
type storeTokens struct{ st *store.Store }

func (s storeTokens) TokenHolder(ctx context.Context, secret string) (api.TokenHolder, error) {
	tok, u, err := s.st.TokenUser(ctx, secret)
	if err != nil {
		return api.TokenHolder{}, err
	}
	return api.TokenHolder{TokenID: tok.ID, UserID: u.ID, Scopes: tok.Scopes, Roles: u.Roles, Organizations: u.Organizations}, nil
}

// submissionEnv is the API on a seeded store with the real editorial
// service and real tokens.
type submissionEnv struct {
	*env
	st *store.Store
}

func newSubmissionEnv(t *testing.T) submissionEnv {
	t.Helper()
	st := storetest.Seeded(t)
	cat := catalog.NewService(st)
	e := &env{logs: &syncBuffer{}}
	e.doc, e.router = loadDoc(t)
	var handler http.Handler
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(e.srv.Close)
	a := api.New(cat, api.Options{Logger: slog.New(slog.NewJSONHandler(e.logs, nil)), BaseURL: e.srv.URL,
		Editorial: workflow.NewService(st, cat), Tokens: storeTokens{st}})
	ec := server.New(server.Options{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Registry: prometheus.NewRegistry(), Ready: okPinger{},
		ErrorHandler: func(err error, c echo.Context) { a.HandleError(err, c) },
	})
	a.Register(ec.Group("/api/v1"))
	handler = ec
	return submissionEnv{env: e, st: st}
}

// token creates a user with roles and organisations and a token for it.
func (e submissionEnv) token(t *testing.T, subject string, roles, orgs []string, scopes ...string) (secret string, tokenID int64) {
	t.Helper()
	ctx := context.Background()
	uid, err := e.st.UpsertUser(ctx, "https://idp.example", subject, subject, subject+"@example.org", roles, orgs)
	if err != nil {
		t.Fatal(err)
	}
	secret, tok, err := e.st.CreateToken(ctx, uid, subject+" token", scopes, time.Now().Add(time.Hour), "")
	if err != nil {
		t.Fatal(err)
	}
	return secret, tok.ID
}

// send makes a request with a JSON body (none when body is "") and the
// bearer token (none when token is ""), validated against openapi.json.
func (e submissionEnv) send(t *testing.T, method, path, token, body string, header ...string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := response{Status: res.StatusCode, Header: res.Header, Body: b}
	e.validate(t, req, r)
	return r
}

// submissionDoc is the test's view of a SubmissionDocument.
type submissionDoc struct {
	Data struct {
		ID             int64
		State          string
		Version        int
		Target         string
		Organization   string
		LevelBefore    *int     `json:"level_before"`
		AllowedActions []string `json:"allowed_actions"`
		Product        map[string]any
		Sources        []map[string]any
		Links          struct{ Self string }
	}
}

// proposalOf turns a product of the read API into the write shape:
// facts as they are, references by slug.
func proposalOf(t *testing.T, read []byte) map[string]any {
	t.Helper()
	var doc struct{ Data map[string]any }
	if err := json.Unmarshal(read, &doc); err != nil {
		t.Fatal(err)
	}
	p := doc.Data
	slugOf := func(v any) any { return v.(map[string]any)["slug"] }
	out := map[string]any{
		"slug": p["slug"], "name": p["name"], "kind": p["kind"], "website": p["website"], "description": p["description"],
		"vendor": slugOf(p["vendor"]), "category": slugOf(p["category"]), "facts": p["facts"], "adoptions": p["adoptions"],
	}
	var offerings, deps, alts []any
	for _, o := range p["offerings"].([]any) {
		o := o.(map[string]any)
		offerings = append(offerings, map[string]any{"operator": slugOf(o["operator"]), "facts": o["facts"], "certifications": o["certifications"]})
	}
	for _, d := range p["dependencies"].([]any) {
		d := d.(map[string]any)
		deps = append(deps, map[string]any{"provider": slugOf(d["provider"]), "role": d["role"], "data_access": d["data_access"],
			"criticality": d["criticality"], "failover_group": d["failover_group"], "sources": d["sources"]})
	}
	for _, r := range p["alternatives"].(map[string]any)["replaces"].([]any) {
		alts = append(alts, slugOf(r))
	}
	out["offerings"], out["dependencies"], out["alternatives"] = offerings, deps, alts
	return out
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSubmissions(t *testing.T) {
	e := newSubmissionEnv(t)
	vendor, _ := e.token(t, "vendor", []string{"vendor"}, []string{"nextcloud"}, auth.ScopeSubmissionsRead, auth.ScopeSubmissionsWrite)
	readOnly, _ := e.token(t, "reader", []string{"vendor"}, []string{"nextcloud"}, auth.ScopeSubmissionsRead)
	writeOnly, _ := e.token(t, "writer", []string{"vendor"}, []string{"nextcloud"}, auth.ScopeSubmissionsWrite)
	other, _ := e.token(t, "other", []string{"vendor"}, []string{"cloudflare"}, auth.ScopeSubmissionsRead, auth.ScopeSubmissionsWrite)
	reviewer, _ := e.token(t, "both", []string{"vendor", "reviewer"}, []string{"cloudflare"}, auth.ScopeSubmissionsRead, auth.ScopeSubmissionsWrite)

	proposal := proposalOf(t, e.get(t, "/api/v1/products/nextcloud").Body)
	proposal["description"] = map[string]any{"de": "Neue Beschreibung.", "en": "New description."}
	change := mustJSON(t, map[string]any{"kind": "change", "product": proposal, "submit": true})

	var submitted submissionDoc
	t.Run("a change, submitted at once", func(t *testing.T) {
		r := e.send(t, http.MethodPost, "/api/v1/submissions", vendor, change)
		if r.Status != http.StatusCreated {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		r.decode(t, &submitted)
		d := submitted.Data
		if d.State != "submitted" || d.Target != "nextcloud" || d.Organization != "nextcloud" || d.Version < 2 || d.LevelBefore == nil {
			t.Errorf("submission = %+v", d)
		}
		if loc := r.Header.Get("Location"); loc == "" || loc != d.Links.Self || !strings.HasSuffix(loc, "/api/v1/submissions/"+strconv.FormatInt(d.ID, 10)) {
			t.Errorf("Location %q, self %q", loc, d.Links.Self)
		}
		if desc := d.Product["description"].(map[string]any); desc["en"] != "New description." {
			t.Errorf("description = %v", desc)
		}
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control %q", r.Header.Get("Cache-Control"))
		}
		if len(d.AllowedActions) != 1 || d.AllowedActions[0] != "withdraw" {
			t.Errorf("allowed actions %v", d.AllowedActions)
		}
	})
	path := "/api/v1/submissions/" + strconv.FormatInt(submitted.Data.ID, 10)

	t.Run("read back and listed", func(t *testing.T) {
		var got submissionDoc
		if r := e.send(t, http.MethodGet, path, readOnly, ""); r.Status != http.StatusOK {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		} else {
			r.decode(t, &got)
		}
		if got.Data.ID != submitted.Data.ID || got.Data.State != "submitted" {
			t.Errorf("got %+v", got.Data)
		}
		var list struct {
			Data []struct {
				ID    int64
				State string
			}
			Meta struct{ Total int }
		}
		r := e.send(t, http.MethodGet, "/api/v1/submissions", readOnly, "")
		r.decode(t, &list)
		if r.Status != http.StatusOK || list.Meta.Total != 1 || len(list.Data) != 1 || list.Data[0].ID != submitted.Data.ID {
			t.Errorf("status %d, list %+v", r.Status, list)
		}
		r = e.send(t, http.MethodGet, "/api/v1/submissions", other, "")
		r.decode(t, &list)
		if r.Status != http.StatusOK || len(list.Data) != 0 {
			t.Errorf("another organisation sees %+v", list)
		}
	})

	t.Run("a stale version conflicts", func(t *testing.T) {
		body := mustJSON(t, map[string]any{"version": submitted.Data.Version - 1, "action": "withdraw"})
		if r := e.send(t, http.MethodPatch, path, vendor, body); r.Status != http.StatusConflict {
			t.Errorf("status %d: %s", r.Status, r.Body)
		}
	})
	t.Run("a submitted proposal cannot be edited", func(t *testing.T) {
		body := mustJSON(t, map[string]any{"version": submitted.Data.Version, "product": proposal})
		if r := e.send(t, http.MethodPatch, path, vendor, body); r.Status != http.StatusConflict {
			t.Errorf("status %d: %s", r.Status, r.Body)
		}
	})

	t.Run("a draft, edited and submitted", func(t *testing.T) {
		draft := map[string]any{"slug": "nextcloud-talk-api", "vendor": "nextcloud"}
		r := e.send(t, http.MethodPost, "/api/v1/submissions", vendor, mustJSON(t, map[string]any{"kind": "new", "product": draft}))
		var doc submissionDoc
		r.decode(t, &doc)
		if r.Status != http.StatusCreated || doc.Data.State != "draft" || doc.Data.Version != 1 {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		p := "/api/v1/submissions/" + strconv.FormatInt(doc.Data.ID, 10)
		full := map[string]any{
			"slug": "nextcloud-talk-api", "vendor": "nextcloud", "name": "Nextcloud Talk", "kind": "software", "category": "file-collaboration",
			"description": map[string]any{"de": "Chat und Videokonferenz.", "en": "Chat and video calls."},
			"facts":       map[string]any{"license": map[string]any{"value": "AGPL-3.0", "known": true, "sources": []string{"talk-copying"}}},
		}
		src := []map[string]any{{"key": "talk-copying", "url": "https://github.com/nextcloud/spreed/blob/main/LICENSE", "title": "LICENSE", "kind": "source_repository", "retrieved": "2026-01-15"}}
		r = e.send(t, http.MethodPatch, p, vendor, mustJSON(t, map[string]any{"version": 1, "product": full, "sources": src, "action": "submit"}))
		r.decode(t, &doc)
		if r.Status != http.StatusOK || doc.Data.State != "submitted" || len(doc.Data.Sources) != 1 || doc.Data.Sources[0]["retrieved"] != "2026-01-15" {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		if lic := doc.Data.Product["facts"].(map[string]any)["license"].(map[string]any); lic["value"] != "AGPL-3.0" || lic["known"] != true {
			t.Errorf("license = %v", lic)
		}
		t.Run("stale version", func(t *testing.T) {
			r := e.send(t, http.MethodPatch, p, vendor, mustJSON(t, map[string]any{"version": 1, "action": "withdraw"}))
			if r.Status != http.StatusConflict {
				t.Errorf("status %d: %s", r.Status, r.Body)
			}
		})
		t.Run("withdrawn", func(t *testing.T) {
			r := e.send(t, http.MethodPatch, p, vendor, mustJSON(t, map[string]any{"version": doc.Data.Version, "action": "withdraw"}))
			var w submissionDoc
			r.decode(t, &w)
			if r.Status != http.StatusOK || w.Data.State != "withdrawn" || len(w.Data.AllowedActions) != 0 {
				t.Errorf("status %d: %s", r.Status, r.Body)
			}
		})
	})

	t.Run("an incomplete proposal stays a draft", func(t *testing.T) {
		body := mustJSON(t, map[string]any{"kind": "new", "submit": true, "product": map[string]any{
			"slug": "nextcloud-incomplete", "vendor": "nextcloud", "name": "X", "kind": "software", "category": "file-collaboration",
			"description":  map[string]any{"de": "", "en": "x"},
			"dependencies": []any{map[string]any{"provider": "no-such-product", "role": "storage", "data_access": "none", "criticality": "critical", "sources": []string{"nope"}}},
		}})
		r := e.send(t, http.MethodPost, "/api/v1/submissions", vendor, body)
		var p problem
		r.decode(t, &p)
		if r.Status != http.StatusBadRequest || r.Header.Get("Location") == "" {
			t.Fatalf("status %d, Location %q: %s", r.Status, r.Header.Get("Location"), r.Body)
		}
		pointers := map[string]bool{}
		for _, it := range p.Errors {
			pointers[it.Pointer] = true
		}
		for _, want := range []string{"/product/description/de", "/product/dependencies/0/provider", "/product/dependencies/0/sources/0"} {
			if !pointers[want] {
				t.Errorf("no problem at %s: %s", want, r.Body)
			}
		}
		if !strings.Contains(p.Detail, "draft submission") {
			t.Errorf("detail does not say the draft was kept: %s", p.Detail)
		}
		var doc submissionDoc
		loc := strings.TrimPrefix(r.Header.Get("Location"), e.srv.URL)
		if r := e.send(t, http.MethodGet, loc, vendor, ""); r.Status != http.StatusOK {
			t.Errorf("the draft: status %d", r.Status)
		} else if r.decode(t, &doc); doc.Data.State != "draft" {
			t.Errorf("state %s", doc.Data.State)
		}
	})

	t.Run("refused", func(t *testing.T) {
		otherProduct := proposalOf(t, e.get(t, "/api/v1/products/cloudflare").Body)
		tests := []struct {
			name, method, path, token, body string
			status                          int
			challenge                       string // in WWW-Authenticate
			pointer                         string // one problem must point here
		}{
			{"no token", http.MethodPost, "/api/v1/submissions", "", change, 401, `Bearer realm="registry"`, ""},
			{"not a bearer token", http.MethodGet, "/api/v1/submissions", "", "", 401, `Bearer`, ""},
			{"unknown token", http.MethodPost, "/api/v1/submissions", store.TokenPrefix + "nope", change, 401, `error="invalid_token"`, ""},
			{"read-only token writes", http.MethodPost, "/api/v1/submissions", readOnly, change, 403, `error="insufficient_scope", scope="submissions:write"`, ""},
			{"write-only token reads", http.MethodGet, path, writeOnly, "", 403, `scope="submissions:read"`, ""},
			{"another organisation's product", http.MethodPost, "/api/v1/submissions", vendor, mustJSON(t, map[string]any{"kind": "change", "product": otherProduct}), 403, "", ""},
			{"another organisation's submission", http.MethodGet, path, other, "", 404, "", ""},
			{"another organisation edits", http.MethodPatch, path, other, `{"version":1,"action":"withdraw"}`, 404, "", ""},
			{"a reviewer's action", http.MethodPatch, path, reviewer, fmtVersion(submitted.Data.Version, "approve"), 403, "", ""},
			{"unknown action", http.MethodPatch, path, vendor, fmtVersion(submitted.Data.Version, "publish"), 400, "", "/action"},
			{"no version", http.MethodPatch, path, vendor, `{"action":"withdraw"}`, 400, "", "/version"},
			{"nothing to change", http.MethodPatch, path, vendor, `{"version":1}`, 400, "", ""},
			{"malformed JSON", http.MethodPost, "/api/v1/submissions", vendor, `{"kind": "change",`, 400, "", ""},
			{"not JSON at all", http.MethodPost, "/api/v1/submissions", vendor, `kind=change`, 400, "", ""},
			{"unknown field", http.MethodPost, "/api/v1/submissions", vendor, `{"kind":"new","product":{"slug":"x","vendor":"nextcloud"},"sumbit":true}`, 400, "", ""},
			{"wrong type", http.MethodPost, "/api/v1/submissions", vendor, `{"kind":"new","product":{"slug":"x","vendor":"nextcloud"},"submit":"yes"}`, 400, "", "/submit"},
			{"two values", http.MethodPost, "/api/v1/submissions", vendor, `{"kind":"new","product":{"slug":"x","vendor":"nextcloud"}} {}`, 400, "", ""},
			{"empty body", http.MethodPost, "/api/v1/submissions", vendor, "", 400, "", ""},
			{"unknown kind", http.MethodPost, "/api/v1/submissions", vendor, `{"kind":"delete","product":{"slug":"x","vendor":"nextcloud"}}`, 400, "", "/kind"},
			{"no product", http.MethodPost, "/api/v1/submissions", vendor, `{"kind":"new"}`, 400, "", "/product"},
			{"a value on an unknown fact", http.MethodPost, "/api/v1/submissions", vendor,
				`{"kind":"new","product":{"slug":"x","vendor":"nextcloud","facts":{"license":{"value":"MIT","known":false,"sources":[]}}}}`, 400, "", "/product/facts/license/known"},
			{"a bad date", http.MethodPost, "/api/v1/submissions", vendor,
				`{"kind":"new","product":{"slug":"x","vendor":"nextcloud"},"sources":[{"key":"k","url":"https://x.example","title":"t","kind":"press","retrieved":"15.01.2026"}]}`, 400, "", "/sources/0/retrieved"},
			{"a taken slug", http.MethodPost, "/api/v1/submissions", vendor, `{"kind":"new","product":{"slug":"nextcloud","vendor":"nextcloud"}}`, 400, "", "/product/slug"},
			{"a change to nothing", http.MethodPost, "/api/v1/submissions", vendor, `{"kind":"change","product":{"slug":"no-such-product","vendor":"nextcloud"}}`, 404, "", ""},
			{"no such submission", http.MethodGet, "/api/v1/submissions/999999", vendor, "", 404, "", ""},
			{"not an id", http.MethodGet, "/api/v1/submissions/abc", vendor, "", 404, "", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var header []string
				if tt.name == "not a bearer token" {
					header = []string{"Authorization", "Basic dmVuZG9yOnZlbmRvcg=="}
				}
				if tt.name == "not JSON at all" {
					header = []string{"Content-Type", "application/json"}
				}
				r := e.send(t, tt.method, tt.path, tt.token, tt.body, header...)
				if r.Status != tt.status {
					t.Fatalf("status %d, want %d: %s", r.Status, tt.status, r.Body)
				}
				if ct := r.Header.Get("Content-Type"); ct != api.MIMEProblemJSON {
					t.Errorf("content type %q", ct)
				}
				if got := r.Header.Get("WWW-Authenticate"); !strings.Contains(got, tt.challenge) || (tt.challenge == "" && got != "") {
					t.Errorf("WWW-Authenticate %q, want %q", got, tt.challenge)
				}
				if tt.pointer != "" {
					var p problem
					r.decode(t, &p)
					found := false
					for _, it := range p.Errors {
						found = found || it.Pointer == tt.pointer
					}
					if !found {
						t.Errorf("no problem points at %s: %s", tt.pointer, r.Body)
					}
				}
			})
		}
	})

	t.Run("a form is not JSON", func(t *testing.T) {
		r := e.send(t, http.MethodPost, "/api/v1/submissions", vendor, "", "Content-Type", "application/x-www-form-urlencoded")
		if r.Status != http.StatusUnsupportedMediaType {
			t.Errorf("status %d: %s", r.Status, r.Body)
		}
	})

	t.Run("a revoked token", func(t *testing.T) {
		secret, id := e.token(t, "revoked", []string{"vendor"}, []string{"nextcloud"}, auth.ScopeSubmissionsRead)
		if r := e.send(t, http.MethodGet, "/api/v1/submissions", secret, ""); r.Status != http.StatusOK {
			t.Fatalf("before revocation: %d", r.Status)
		}
		tok, u, _ := e.st.TokenUser(context.Background(), secret)
		if err := e.st.RevokeToken(context.Background(), u.ID, id, ""); err != nil || tok.ID != id {
			t.Fatal(err)
		}
		r := e.send(t, http.MethodGet, "/api/v1/submissions", secret, "")
		if r.Status != http.StatusUnauthorized || !strings.Contains(r.Header.Get("WWW-Authenticate"), "invalid_token") {
			t.Errorf("status %d, %q", r.Status, r.Header.Get("WWW-Authenticate"))
		}
	})

	t.Run("audited with the token", func(t *testing.T) {
		evs, err := e.st.AuditEvents(context.Background(), store.AuditFilter{Subject: workflow.Subject(submitted.Data.ID)})
		if err != nil || len(evs) < 2 {
			t.Fatalf("events %+v, %v", evs, err)
		}
		for _, ev := range evs {
			if !strings.HasPrefix(ev.SessionID, "token:") {
				t.Errorf("event %s has session %q, want the token", ev.Action, ev.SessionID)
			}
		}
	})
}

func fmtVersion(v int, action string) string {
	return `{"version":` + strconv.Itoa(v) + `,"action":"` + action + `"}`
}

// TestFailedTokensAreLimited wants a client that keeps presenting unknown
// tokens answered 429 with Retry-After once past its limit (ten), while a
// valid token from the same address still passes.
func TestFailedTokensAreLimited(t *testing.T) {
	e := newSubmissionEnv(t)
	valid, _ := e.token(t, "vendor", []string{"vendor"}, []string{"nextcloud"}, auth.ScopeSubmissionsRead)
	for i := range 10 {
		if r := e.send(t, http.MethodGet, "/api/v1/submissions", "sr_not-a-token-"+strconv.Itoa(i), ""); r.Status != http.StatusUnauthorized {
			t.Fatalf("wrong token %d: status %d, want 401 within the limit", i+1, r.Status)
		}
	}
	r := e.send(t, http.MethodGet, "/api/v1/submissions", "sr_not-a-token-11", "")
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("eleventh wrong token: status %d, want 429", r.Status)
	}
	if r.Header.Get("Retry-After") == "" || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("429 without Retry-After or problem document: %v", r.Header)
	}
	if r := e.send(t, http.MethodGet, "/api/v1/submissions", valid, ""); r.Status != http.StatusOK {
		t.Errorf("a valid token after the limit: status %d, want 200", r.Status)
	}
}

// TestFailedTokensPerClient wants the failed-token limit kept per client:
// the address a reverse proxy on the same host forwards, not the proxy's.
func TestFailedTokensPerClient(t *testing.T) {
	e := newSubmissionEnv(t)
	for i := range 11 {
		e.send(t, http.MethodGet, "/api/v1/submissions", "sr_wrong-"+strconv.Itoa(i), "", "X-Forwarded-For", "198.51.100.7")
	}
	if r := e.send(t, http.MethodGet, "/api/v1/submissions", "sr_wrong", "", "X-Forwarded-For", "198.51.100.7"); r.Status != http.StatusTooManyRequests {
		t.Fatalf("client past its limit: status %d, want 429", r.Status)
	}
	if r := e.send(t, http.MethodGet, "/api/v1/submissions", "sr_wrong", "", "X-Forwarded-For", "198.51.100.8"); r.Status != http.StatusUnauthorized {
		t.Errorf("another client behind the same proxy: status %d, want 401", r.Status)
	}
}
