package main

import (
	"bytes"
	"strings"
	"testing"
)

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestRun_ExistingURLPassesExitCode(t *testing.T) {
	var out bytes.Buffer
	code := run([]string{"--", "sh", "-c", `echo "$X"; exit 3`}, env(map[string]string{"TEST_DATABASE_URL": "postgres://x@127.0.0.1/db"}), nil, &out, &out)
	if code != 3 {
		t.Fatalf("exit code %d, want the command's 3 (output %q)", code, out.String())
	}
}

func TestRun_MissingBinaries(t *testing.T) {
	var out bytes.Buffer
	code := run([]string{"-bindir", t.TempDir(), "--", "true"}, env(nil), nil, &out, &out)
	msg := strings.TrimSpace(out.String())
	if code != 1 || strings.Contains(msg, "\n") || !strings.Contains(msg, "apt-get install postgresql") {
		t.Fatalf("exit code %d, output %q; want 1 and one sentence with install advice", code, msg)
	}
}

func TestRun_Usage(t *testing.T) {
	var out bytes.Buffer
	if code := run(nil, env(nil), nil, &out, &out); code != 2 {
		t.Fatalf("exit code %d without a command, want 2", code)
	}
}

func TestRun_ServerForCommand(t *testing.T) {
	var out bytes.Buffer
	code := run([]string{"--", "sh", "-c", `case "$TEST_DATABASE_URL" in postgres://*/registry_test*) exit 0;; esac; exit 9`}, env(nil), nil, &out, &out)
	if code != 0 {
		t.Fatalf("exit code %d, output %q", code, out.String())
	}
}
