package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// apiCall sends a JSON body (none when "") with a bearer token to the
// program and returns the status, headers and body.
func apiCall(t *testing.T, method, target, token, body string) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, target, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// changeOf builds the body of a change proposal from a product of the
// read API: the same record in the write shape (references by slug), with
// edit applied.
func changeOf(t *testing.T, read []byte, edit func(p map[string]any)) string {
	t.Helper()
	var doc struct{ Data map[string]any }
	if err := json.Unmarshal(read, &doc); err != nil {
		t.Fatalf("product: %v", err)
	}
	p := doc.Data
	slug := func(v any) any { return v.(map[string]any)["slug"] }
	out := map[string]any{"slug": p["slug"], "name": p["name"], "kind": p["kind"], "website": p["website"],
		"description": p["description"], "vendor": slug(p["vendor"]), "category": slug(p["category"]),
		"facts": p["facts"], "adoptions": p["adoptions"], "offerings": []any{}, "dependencies": []any{}, "alternatives": []any{}}
	for _, o := range p["offerings"].([]any) {
		o := o.(map[string]any)
		out["offerings"] = append(out["offerings"].([]any), map[string]any{"operator": slug(o["operator"]), "facts": o["facts"], "certifications": o["certifications"]})
	}
	for _, d := range p["dependencies"].([]any) {
		d := d.(map[string]any)
		out["dependencies"] = append(out["dependencies"].([]any), map[string]any{"provider": slug(d["provider"]), "role": d["role"],
			"data_access": d["data_access"], "criticality": d["criticality"], "failover_group": d["failover_group"], "sources": d["sources"]})
	}
	for _, r := range p["alternatives"].(map[string]any)["replaces"].([]any) {
		out["alternatives"] = append(out["alternatives"].([]any), slug(r))
	}
	if edit != nil {
		edit(out)
	}
	b, err := json.Marshal(map[string]any{"kind": "change", "product": out, "submit": true})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// createTokenOnPage creates a token through the form and returns the
// secret shown on the answer.
func createTokenOnPage(t *testing.T, c *client, name string, scopes ...string) string {
	t.Helper()
	resp, doc := c.post("/account/tokens", url.Values{"name": {name}, "scope": scopes, "lifetime": {"30"}})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create token %q: status %d", name, resp.StatusCode)
	}
	secret, _ := doc.Find("#token-secret").Attr("value")
	if !strings.HasPrefix(secret, "sr_") {
		t.Fatalf("create token %q: no secret on the answer", name)
	}
	return secret
}

// revokeFormOf finds the revoke form's action of the token named name.
func revokeFormOf(doc *goquery.Document, name string) string {
	var action string
	doc.Find(".tokens-table tbody tr").Each(func(_ int, row *goquery.Selection) {
		if strings.TrimSpace(row.Find("th").Text()) == name {
			action, _ = row.Find("form").Attr("action")
		}
	})
	return action
}

func TestAPITokens_EndToEnd(t *testing.T) {
	base, _, _ := startProgram(t)
	vendor := signInAs(t, base, "vendor")
	api := base + "/api/v1"

	resp, doc := vendor.get("/account/tokens")
	if resp.StatusCode != http.StatusOK || doc.Find(`form[method="post"][action="/account/tokens"]`).Length() != 1 {
		t.Fatalf("tokens page: status %d, no form to create a token", resp.StatusCode)
	}

	t.Run("the form refuses bad input and keeps it", func(t *testing.T) {
		resp, doc := vendor.post("/account/tokens", url.Values{"name": {" "}, "scope": {"submissions:write", "admin:all"}, "lifetime": {"1000"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		for _, id := range []string{"token-name-error", "token-scopes-error", "token-lifetime-error"} {
			if doc.Find("#"+id).Length() != 1 {
				t.Errorf("no message %s", id)
			}
		}
		if _, checked := doc.Find("#token-scope-submissions-write").Attr("checked"); !checked {
			t.Error("the chosen scope was not kept")
		}
		if doc.Find("#token-secret").Length() != 0 {
			t.Error("a secret was shown")
		}
	})
	t.Run("no token without the CSRF token", func(t *testing.T) {
		resp, _ := vendor.post("/account/tokens", url.Values{"csrf_token": {"forged"}, "name": {"x"}, "scope": {"submissions:read"}, "lifetime": {"30"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("status %d", resp.StatusCode)
		}
	})

	secret := createTokenOnPage(t, vendor, "ci", "submissions:read", "submissions:write")
	t.Run("the secret is shown once", func(t *testing.T) {
		resp, err := vendor.http.Get(base + "/account/tokens")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(body), secret) {
			t.Error("the list shows the secret again")
		}
		if !strings.Contains(string(body), ">ci<") || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("the list lacks the token or may be cached (%q)", resp.Header.Get("Cache-Control"))
		}
	})

	_, _, nextcloud := apiCall(t, http.MethodGet, api+"/products/nextcloud", "", "")
	var created struct {
		Data struct {
			ID      int64
			State   string
			Version int
		}
	}
	t.Run("a change to the vendor's product, submitted", func(t *testing.T) {
		body := changeOf(t, nextcloud, func(p map[string]any) {
			p["description"] = map[string]any{"de": "Über die API geändert.", "en": "Changed through the API."}
		})
		status, h, b := apiCall(t, http.MethodPost, api+"/submissions", secret, body)
		if status != http.StatusCreated {
			t.Fatalf("status %d: %s", status, b)
		}
		if err := json.Unmarshal(b, &created); err != nil || created.Data.State != "submitted" {
			t.Fatalf("state %q (%v): %s", created.Data.State, err, b)
		}
		if loc := h.Get("Location"); !strings.HasSuffix(loc, "/api/v1/submissions/"+strconv.FormatInt(created.Data.ID, 10)) {
			t.Errorf("Location %q", loc)
		}
		// It is among the organisation's proposals, as one made with the form.
		status, _, b = apiCall(t, http.MethodGet, api+"/submissions", secret, "")
		if status != http.StatusOK || !strings.Contains(string(b), `"state":"submitted"`) {
			t.Errorf("list: status %d: %s", status, b)
		}
	})
	sub := api + "/submissions/" + strconv.FormatInt(created.Data.ID, 10)

	t.Run("a stale version conflicts", func(t *testing.T) {
		status, _, b := apiCall(t, http.MethodPatch, sub, secret, `{"version":`+strconv.Itoa(created.Data.Version-1)+`,"action":"withdraw"}`)
		if status != http.StatusConflict {
			t.Errorf("status %d: %s", status, b)
		}
	})
	t.Run("another organisation's product is forbidden", func(t *testing.T) {
		_, _, cloudflare := apiCall(t, http.MethodGet, api+"/products/cloudflare", "", "")
		status, _, b := apiCall(t, http.MethodPost, api+"/submissions", secret, changeOf(t, cloudflare, nil))
		if status != http.StatusForbidden {
			t.Errorf("status %d: %s", status, b)
		}
	})
	t.Run("malformed JSON", func(t *testing.T) {
		status, h, b := apiCall(t, http.MethodPost, api+"/submissions", secret, `{"kind":`)
		if status != http.StatusBadRequest || h.Get("Content-Type") != "application/problem+json" || !strings.Contains(string(b), `"status":400`) {
			t.Errorf("status %d, %q: %s", status, h.Get("Content-Type"), b)
		}
	})

	readOnly := createTokenOnPage(t, vendor, "read only", "submissions:read")
	t.Run("a token without the scope", func(t *testing.T) {
		if status, _, b := apiCall(t, http.MethodGet, sub, readOnly, ""); status != http.StatusOK {
			t.Fatalf("reading: status %d: %s", status, b)
		}
		status, h, b := apiCall(t, http.MethodPatch, sub, readOnly, `{"version":`+strconv.Itoa(created.Data.Version)+`,"action":"withdraw"}`)
		if status != http.StatusForbidden || !strings.Contains(h.Get("WWW-Authenticate"), "insufficient_scope") {
			t.Errorf("status %d, %q: %s", status, h.Get("WWW-Authenticate"), b)
		}
	})
	t.Run("a revoked token", func(t *testing.T) {
		_, doc := vendor.get("/account/tokens")
		action := revokeFormOf(doc, "read only")
		if action == "" {
			t.Fatal("no revoke form for the token")
		}
		resp, _ := vendor.noRedirects().post(action, nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account/tokens" {
			t.Fatalf("revoking: status %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if _, doc := vendor.get("/account/tokens"); revokeFormOf(doc, "read only") != "" {
			t.Error("the revoked token can still be revoked")
		}
		status, h, b := apiCall(t, http.MethodGet, sub, readOnly, "")
		if status != http.StatusUnauthorized || !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("status %d, %q: %s", status, h.Get("WWW-Authenticate"), b)
		}
		if status, _, _ := apiCall(t, http.MethodGet, sub, secret, ""); status != http.StatusOK {
			t.Errorf("the other token stopped working: %d", status)
		}
	})
	t.Run("no token", func(t *testing.T) {
		status, h, _ := apiCall(t, http.MethodPost, api+"/submissions", "", `{}`)
		if status != http.StatusUnauthorized || h.Get("WWW-Authenticate") == "" {
			t.Errorf("status %d, %q", status, h.Get("WWW-Authenticate"))
		}
	})
	t.Run("another user cannot revoke the token", func(t *testing.T) {
		_, doc := vendor.get("/account/tokens")
		action := revokeFormOf(doc, "ci")
		reviewer := signInAs(t, base, "reviewer1")
		// Reviewers hold no tokens; the route is for vendors.
		if resp, _ := reviewer.post(action, nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
}
