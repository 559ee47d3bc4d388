package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/store/storetest"
)

// TestTwoInstances runs two registry processes on one database, as behind
// a load balancer: a session started on one continues on the other, a
// proposal made on one is approved on the other, and both serve the
// published entry.
func TestTwoInstances(t *testing.T) {
	db := storetest.URL(t)
	baseA, _, _ := startProgramOn(t, db, nil)
	baseB, _, _ := startProgramOn(t, db, nil)

	// The vendor signs in on A; the same browser then talks to B.
	vendorA := signInAs(t, baseA, "vendor")
	vendorB := vendorA.on(baseB)
	if _, doc := vendorB.get("/account"); !strings.Contains(doc.Find(".site-user__name").Text(), "Vera Vendor") {
		t.Fatal("the session started on A is not known on B")
	}

	// Draft on A, submit on B.
	_, doc := vendorA.get("/submissions/new?product=nextcloud")
	form := formOf(t, doc, "form.submission-form")
	form.Set("description_en", "Changed through instance A, approved on B.")
	form.Set("op", "save")
	resp, _ := vendorA.post("/submissions", form)
	m := submissionPath.FindStringSubmatch(resp.Request.URL.Path)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("draft on A: status %d at %s", resp.StatusCode, resp.Request.URL)
	}
	id := m[1]
	act := func(c *client, action string) {
		t.Helper()
		_, doc := c.get("/submissions/" + id)
		version, _ := doc.Find(`form.submission-action input[name="version"]`).First().Attr("value")
		resp, _ := c.post("/submissions/"+id+"/actions", url.Values{"action": {action}, "version": {version}})
		if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/submissions/"+id {
			t.Fatalf("%s at %s: status %d at %s", action, c.base, resp.StatusCode, resp.Request.URL)
		}
	}
	act(vendorB, "submit")

	// A reviewer on B approves.
	reviewer := signInAs(t, baseB, "reviewer1")
	act(reviewer, "start_review")
	act(reviewer, "approve")

	// Both instances serve the published entry (each notices the other's
	// write through the catalogue's generation within a second).
	for _, base := range []string{baseA, baseB} {
		deadline := time.Now().Add(5 * time.Second)
		for {
			_, doc := newClient(t, base).get("/products/nextcloud?lang=en")
			if strings.Contains(doc.Text(), "Changed through instance A, approved on B.") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s does not show the published change", base)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	// Signing out on B ends the session on A too.
	vendorB.noRedirects().send("/logout", url.Values{})
	if _, doc := vendorA.get("/"); doc.Find(".site-user__name").Length() != 0 {
		t.Error("signed out on B, still signed in on A")
	}
}

// on returns a client of the same browser (cookies included) talking to
// another instance at base.
func (c *client) on(base string) *client {
	cp := *c
	cp.base = base
	return &cp
}
