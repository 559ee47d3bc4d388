package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestSignOutEverywhere: the account page's "sign out everywhere" ends
// every session of the user (another browser included), and no one
// else's.
func TestSignOutEverywhere(t *testing.T) {
	base, _, _ := startProgram(t)
	laptop := signInAs(t, base, "vendor")
	phone := signInAs(t, base, "vendor")
	reviewer := signInAs(t, base, "reviewer1")

	_, doc := laptop.get("/account")
	if doc.Find(`form[action="/account/sessions/revoke"] button`).Length() != 1 {
		t.Fatal("the account page offers no way to sign out everywhere")
	}
	resp, doc := laptop.post("/account/sessions/revoke", nil)
	if resp.StatusCode != http.StatusOK || doc.Find(".site-user__name").Length() != 0 {
		t.Fatalf("after signing out everywhere: status %d, still signed in here: %v", resp.StatusCode, doc.Find(".site-user__name").Length() != 0)
	}
	if _, doc := phone.get("/"); doc.Find(".site-user__name").Length() != 0 {
		t.Error("the vendor's other session survived")
	}
	if _, doc := reviewer.get("/"); doc.Find(".site-user__name").Length() != 1 {
		t.Error("another user's session ended too")
	}

	// The audit log tells when sessions began and ended.
	admin := signInAs(t, base, "admin")
	for action, want := range map[string]int{"session.login": 4, "session.revoke_all": 1} {
		resp, err := admin.http.Get(base + "/admin/audit/export?format=jsonl&action=" + action)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if got := strings.Count(string(body), "\n"); resp.StatusCode != http.StatusOK || got != want {
			t.Errorf("audit export of %s: status %d, %d events, want %d", action, resp.StatusCode, got, want)
		}
	}
}
