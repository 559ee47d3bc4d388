package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// userRow finds the row of the users page that names name, and its form's
// action and version.
func userRow(t *testing.T, doc *goquery.Document, name string) (row *goquery.Selection, action, version string) {
	t.Helper()
	row = doc.Find("tbody tr").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.Contains(s.Find("th").Text(), name)
	})
	if row.Length() != 1 {
		t.Fatalf("users page: %d rows for %s", row.Length(), name)
	}
	action, _ = row.Find("form").Attr("action")
	version, _ = row.Find(`form input[name="version"]`).Attr("value")
	if action == "" || version == "" {
		t.Fatalf("row of %s has no form with a version", name)
	}
	return row, action, version
}

func status(t *testing.T, c *client, path string) int {
	t.Helper()
	resp, _ := c.get(path)
	return resp.StatusCode
}

// download fetches path as c and returns the response with its body.
func download(t *testing.T, c *client, path string) (*http.Response, string) {
	t.Helper()
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return resp, string(b)
}

func TestAdminPages(t *testing.T) {
	base, _, _ := startProgram(t)
	admin := signInAs(t, base, "admin")
	vendor := signInAs(t, base, "vendor")

	t.Run("a vendor gets 403 on the admin pages", func(t *testing.T) {
		for _, path := range []string{"/admin", "/admin/users", "/admin/audit", "/admin/audit/export?format=csv", "/admin/policy", "/admin/categories"} {
			if got := status(t, vendor, path); got != http.StatusForbidden {
				t.Errorf("GET %s: %d, want 403", path, got)
			}
		}
		resp, _ := vendor.post("/admin/users/1", url.Values{"roles": {"admin"}, "version": {"1"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST as vendor: %d, want 403", resp.StatusCode)
		}
	})

	t.Run("the pages fit a strict CSP and have unique ids", func(t *testing.T) {
		for _, path := range []string{"/admin", "/admin/users", "/admin/categories", "/admin/policy", "/admin/audit", "/admin/audit?from=bad"} {
			_, doc := admin.get(path)
			if n := doc.Find("[style], script").Length(); n > 0 {
				t.Errorf("%s: %d inline styles or scripts", path, n)
			}
			ids := map[string]bool{}
			doc.Find("[id]").Each(func(_ int, s *goquery.Selection) {
				id, _ := s.Attr("id")
				if ids[id] {
					t.Errorf("%s: id %q used twice", path, id)
				}
				ids[id] = true
			})
			doc.Find("[aria-describedby]").Each(func(_ int, s *goquery.Selection) {
				v, _ := s.Attr("aria-describedby")
				for _, id := range strings.Fields(v) {
					if !ids[id] {
						t.Errorf("%s: aria-describedby names a missing id %q", path, id)
					}
				}
			})
			doc.Find("form[method=post]").Each(func(_ int, s *goquery.Selection) {
				if s.Find(`input[name="csrf_token"]`).Length() != 1 {
					a, _ := s.Attr("action")
					t.Errorf("%s: form %s without CSRF token", path, a)
				}
			})
		}
	})

	t.Run("the overview links to every admin page", func(t *testing.T) {
		resp, doc := admin.get("/admin")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		for _, href := range []string{"/admin/users", "/admin/categories", "/admin/policy", "/admin/audit"} {
			if doc.Find(`main a[href="`+href+`"]`).Length() != 1 {
				t.Errorf("no link to %s", href)
			}
		}
	})

	t.Run("an assigned role holds from the user's next request", func(t *testing.T) {
		if got := status(t, vendor, "/review"); got != http.StatusForbidden {
			t.Fatalf("vendor on /review before: %d, want 403", got)
		}
		_, doc := admin.get("/admin/users")
		row, action, version := userRow(t, doc, "Vera Vendor")
		if claims := row.Find("td").Eq(1).Text(); !strings.Contains(claims, "vendor") || !strings.Contains(claims, "nextcloud") {
			t.Errorf("claims cell %q lacks the vendor role and nextcloud", claims)
		}
		resp, doc := admin.post(action, url.Values{"roles": {"reviewer"}, "organizations": {"nextcloud, cloudflare"}, "version": {version}})
		if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/admin/users" {
			t.Fatalf("save: status %d at %s", resp.StatusCode, resp.Request.URL)
		}
		if doc.Find(".flash").Length() != 1 {
			t.Error("no notice after saving")
		}
		row, _, newVersion := userRow(t, doc, "Vera Vendor")
		if _, ok := row.Find(`input[name="roles"][value="reviewer"]`).Attr("checked"); !ok || newVersion == version {
			t.Errorf("row after saving: reviewer checked %v, version %s → %s", ok, version, newVersion)
		}
		if v, _ := row.Find(`input[name="organizations"]`).Attr("value"); v != "cloudflare, nextcloud" {
			t.Errorf("organisations field %q", v)
		}
		if got := status(t, vendor, "/review"); got == http.StatusForbidden {
			t.Error("vendor still gets 403 on /review after being assigned the reviewer role")
		}

		t.Run("a stale version answers 409 and changes nothing", func(t *testing.T) {
			resp, doc := admin.post(action, url.Values{"roles": {"admin"}, "version": {version}})
			if resp.StatusCode != http.StatusConflict {
				t.Fatalf("status %d, want 409", resp.StatusCode)
			}
			if doc.Find(`[role="alert"]`).Length() == 0 {
				t.Error("no alert about the conflict")
			}
			row, _, shown := userRow(t, doc, "Vera Vendor")
			if _, ok := row.Find(`input[value="admin"]`).Attr("checked"); ok || shown != newVersion {
				t.Errorf("the row shows the refused change or an old version (%s)", shown)
			}
			if _, ok := row.Find(`input[value="reviewer"]`).Attr("checked"); !ok {
				t.Error("the row does not show the current assignment")
			}
			if got := status(t, vendor, "/admin"); got != http.StatusForbidden {
				t.Errorf("the stale change took effect: vendor on /admin %d", got)
			}
		})

		t.Run("an unknown organisation answers 422 with the input kept", func(t *testing.T) {
			resp, doc := admin.post(action, url.Values{"roles": {"reviewer", "vendor"}, "organizations": {"no-such-org"}, "version": {newVersion}})
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", resp.StatusCode)
			}
			row, _, _ := userRow(t, doc, "Vera Vendor")
			input := row.Find(`input[name="organizations"]`)
			if v, _ := input.Attr("value"); v != "no-such-org" {
				t.Errorf("input not kept: %q", v)
			}
			described, _ := input.Attr("aria-describedby")
			errID := ""
			for _, id := range strings.Fields(described) {
				if strings.HasSuffix(id, "-error") {
					errID = id
				}
			}
			if errID == "" || !strings.Contains(doc.Find("#"+errID).Text(), "no-such-org") {
				t.Errorf("no message tied to the field (aria-describedby %q)", described)
			}
			if _, ok := row.Find(`input[value="vendor"]`).Attr("checked"); !ok {
				t.Error("role boxes not kept")
			}
		})
	})

	t.Run("the policy page sets two approvals", func(t *testing.T) {
		_, doc := admin.get("/admin/policy")
		version, _ := doc.Find(`form[action="/admin/policy"] input[name="version"]`).Attr("value")
		resp, doc := admin.post("/admin/policy", url.Values{"required_approvals": {"2"}, "clarification_days": {"10"}, "version": {version}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("save: status %d", resp.StatusCode)
		}
		if v, _ := doc.Find(`select[name="required_approvals"] option[selected]`).Attr("value"); v != "2" {
			t.Errorf("approvals shown after saving: %q", v)
		}
		if v, _ := doc.Find(`input[name="clarification_days"]`).Attr("value"); v != "10" {
			t.Errorf("days shown after saving: %q", v)
		}
		resp, doc = admin.post("/admin/policy", url.Values{"required_approvals": {"2"}, "clarification_days": {"abc"}, "version": {"99"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || doc.Find("#policy-days-error").Length() != 1 {
			t.Errorf("bad number: status %d, message %d", resp.StatusCode, doc.Find("#policy-days-error").Length())
		}
		resp, _ = admin.post("/admin/policy", url.Values{"required_approvals": {"3"}, "clarification_days": {"10"}, "version": {version}})
		if resp.StatusCode != http.StatusConflict {
			t.Errorf("stale version: status %d, want 409", resp.StatusCode)
		}
	})

	t.Run("the audit log filters by action and exports the same events", func(t *testing.T) {
		resp, doc := admin.get("/admin/audit?action=user.assign")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		rows := doc.Find("tbody tr")
		if rows.Length() != 1 {
			t.Fatalf("%d rows for user.assign, want 1 (the stale and the invalid change are not in the log)", rows.Length())
		}
		if got := rows.Find("td").Eq(1).Text(); !strings.Contains(got, "Ada Admin") {
			t.Errorf("actor cell %q does not name the admin", got)
		}
		if rows.Find("details pre").Length() != 2 {
			t.Error("no before and after")
		}
		csvURL, _ := doc.Find(`a[href^="/admin/audit/export?"][href*="format=csv"]`).Attr("href")
		jsonlURL, _ := doc.Find(`a[href^="/admin/audit/export?"][href*="format=jsonl"]`).Attr("href")
		if !strings.Contains(csvURL, "action=user.assign") || !strings.Contains(jsonlURL, "action=user.assign") {
			t.Fatalf("export links %q, %q lack the filter", csvURL, jsonlURL)
		}

		resp, body := download(t, admin, csvURL)
		if cd := resp.Header.Get("Content-Disposition"); resp.StatusCode != http.StatusOK || !strings.HasPrefix(cd, "attachment") || !strings.HasSuffix(cd, `.csv"`) {
			t.Fatalf("CSV: status %d, disposition %q", resp.StatusCode, cd)
		}
		records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil || len(records) != 2 || records[0][4] != "action" || records[1][4] != "user.assign" {
			t.Errorf("CSV export (%v):\n%s", err, body)
		}

		resp, body = download(t, admin, jsonlURL)
		if cd := resp.Header.Get("Content-Disposition"); resp.StatusCode != http.StatusOK || !strings.HasSuffix(cd, `.jsonl"`) {
			t.Fatalf("JSON Lines: status %d, disposition %q", resp.StatusCode, cd)
		}
		var lines int
		sc := bufio.NewScanner(strings.NewReader(body))
		for sc.Scan() {
			var ev struct {
				Action string          `json:"action"`
				After  json.RawMessage `json:"after"`
			}
			if err := json.Unmarshal(sc.Bytes(), &ev); err != nil || ev.Action != "user.assign" || len(ev.After) == 0 {
				t.Errorf("line %q (%v)", sc.Text(), err)
			}
			lines++
		}
		if lines != 1 {
			t.Errorf("%d JSON lines, want 1", lines)
		}

		_, doc = admin.get("/admin/audit?action=policy.set")
		if n := doc.Find("tbody tr").Length(); n != 1 {
			t.Errorf("%d rows for policy.set, want 1", n)
		}
		// One event per page: the older links walk through every event once,
		// and the last page has none.
		_, all := download(t, admin, "/admin/audit/export?format=jsonl")
		total := strings.Count(all, "\n")
		seen := map[string]bool{}
		next := "/admin/audit?limit=1"
		pages := 0
		for next != "" && pages <= total {
			_, doc = admin.get(next)
			if n := doc.Find("tbody tr").Length(); n != 1 {
				t.Fatalf("page %d: %d rows, want 1", pages+1, n)
			}
			row := doc.Find("tbody tr").Text()
			if seen[row] {
				t.Errorf("page %d repeats an event", pages+1)
			}
			seen[row] = true
			pages++
			next, _ = doc.Find(`a[rel="next"]`).Attr("href")
		}
		if pages != total || total < 2 {
			t.Errorf("walked %d pages of one event, the log has %d", pages, total)
		}
		_, body = download(t, admin, "/admin/audit/export?format=jsonl&action=no.such.action")
		if body != "" {
			t.Errorf("export of nothing: %q", body)
		}
	})

	t.Run("an invalid date answers 400 with a message at the field", func(t *testing.T) {
		resp, doc := admin.get("/admin/audit?from=2026-13-45&action=policy.set")
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("status %d, want 400", resp.StatusCode)
		}
		if msg := strings.TrimSpace(doc.Find("#audit-from-error").Text()); msg == "" {
			t.Error("no message next to the date field")
		}
		if v, _ := doc.Find("#audit-from").Attr("value"); v != "2026-13-45" {
			t.Errorf("input not kept: %q", v)
		}
		if d, _ := doc.Find("#audit-from").Attr("aria-describedby"); !strings.Contains(d, "audit-from-error") {
			t.Errorf("aria-describedby %q", d)
		}
		if got := status(t, admin, "/admin/audit/export?format=csv&to=yesterday"); got != http.StatusBadRequest {
			t.Errorf("export with a bad date: %d, want 400", got)
		}
	})

	t.Run("categories are renamed and added", func(t *testing.T) {
		_, doc := admin.get("/admin/categories")
		version, _ := doc.Find(`form[action="/admin/categories/office-suite"] input[name="version"]`).Attr("value")
		resp, _ := admin.post("/admin/categories/office-suite", url.Values{"name_de": {"Büro-Suite"}, "name_en": {"Office suites"}, "version": {version}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("rename: status %d", resp.StatusCode)
		}
		resp, _ = admin.post("/admin/categories/office-suite", url.Values{"name_de": {"Alt"}, "name_en": {"Old"}, "version": {version}})
		if resp.StatusCode != http.StatusConflict {
			t.Errorf("stale rename: %d, want 409", resp.StatusCode)
		}
		resp, doc = admin.post("/admin/categories", url.Values{"slug": {"Bad Slug"}, "name_de": {"Neu"}, "name_en": {""}})
		if resp.StatusCode != http.StatusUnprocessableEntity || doc.Find("#admin-category-new-slug-error").Length() != 1 || doc.Find("#admin-category-new-name_en-error").Length() != 1 {
			t.Errorf("invalid category: status %d", resp.StatusCode)
		}
		if v, _ := doc.Find("#admin-category-new-name_de").Attr("value"); v != "Neu" {
			t.Errorf("input not kept: %q", v)
		}
		resp, _ = admin.post("/admin/categories", url.Values{"slug": {"identity-management"}, "name_de": {"Identitätsverwaltung"}, "name_en": {"Identity management"}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("add: status %d", resp.StatusCode)
		}
		_, doc = admin.get("/admin/audit?subject=category:office-suite")
		if n := doc.Find("tbody tr").Length(); n != 1 {
			t.Errorf("%d audit rows for the category, want 1", n)
		}
	})
}
