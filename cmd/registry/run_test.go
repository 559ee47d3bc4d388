package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/store/storetest"
	"github.com/sovereignty-registry/registry/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// syncBuffer collects output written from the program's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// startProgram runs the real program on port 0 against a fresh seeded
// database and waits until /readyz answers.
func startProgram(t *testing.T) (base string, stop func() int, stderr *syncBuffer) {
	t.Helper()
	return startProgramWith(t, nil)
}

func startProgramWith(t *testing.T, wrap func(http.Handler) http.Handler) (base string, stop func() int, stderr *syncBuffer) {
	t.Helper()
	return startProgramOn(t, storetest.URL(t), wrap)
}

// startProgramOn runs the program against the database at dbURL, so that
// several instances can share one.
func startProgramOn(t *testing.T, dbURL string, wrap func(http.Handler) http.Handler) (base string, stop func() int, stderr *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	env := envOf(map[string]string{"DATABASE_URL": dbURL, "REGISTRY_ADDR": "127.0.0.1:0", "REGISTRY_DEV_IDP_ADDR": "127.0.0.1:0", "REGISTRY_SHUTDOWN_TIMEOUT": "10s"})
	addrc := make(chan string, 1)
	done := make(chan int, 1)
	stdout, errOut := &syncBuffer{}, &syncBuffer{}
	go func() {
		done <- runWith(ctx, nil, env, stdout, errOut, hooks{ready: func(a string) { addrc <- a }, wrap: wrap})
	}()
	select {
	case addr := <-addrc:
		base = "http://" + addr
	case code := <-done:
		cancel()
		t.Fatalf("program exited with %d before serving:\n%s", code, errOut.String())
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatal("program did not start within 60s")
	}
	waitReady(t, base)
	if !strings.Contains(stdout.String(), base) {
		t.Errorf("stdout does not print the URL %s:\n%s", base, stdout.String())
	}
	var once sync.Once
	code := -1
	stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case code = <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("program did not stop within 30s of cancellation")
			}
		})
		return code
	}
	t.Cleanup(func() { stop() })
	return base, stop, errOut
}

func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s/readyz never answered 200", base)
}

func TestRun_ServesPagesAndAPI(t *testing.T) {
	base, stop, stderr := startProgram(t)
	tests := []struct {
		name, path, wantType, wantBody string
		wantStatus                     int
	}{
		{"home", "/", "text/html", "Souveränitätsregister", 200},
		{"health", "/healthz", "text/plain", "ok", 200},
		{"ready", "/readyz", "text/plain", "ready", 200},
		{"metrics", "/metrics", "text/plain", "registry_http_requests_total", 200},
		{"api products", "/api/v1/products?q=nextcloud", "application/json", `"nextcloud"`, 200},
		{"api problem", "/api/v1/products?page%5Bsize%5D=1000", "application/problem+json", `"status":400`, 400},
		{"html 404", "/no/such/page", "text/html", "404", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Get(base + tt.path)
			if err != nil {
				t.Fatalf("GET %s: %v", tt.path, err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.wantType) {
				t.Errorf("content type %q, want %s", ct, tt.wantType)
			}
			if !strings.Contains(string(body), tt.wantBody) {
				t.Errorf("body lacks %q", tt.wantBody)
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
				t.Errorf("missing strict CSP, got %q", csp)
			}
		})
	}
	if code := stop(); code != exitOK {
		t.Fatalf("exit code %d after shutdown:\n%s", code, stderr.String())
	}
	// JSON logs carry a request id on every request line.
	if !strings.Contains(stderr.String(), `"request_id":"`) {
		t.Errorf("logs have no request ids:\n%s", stderr.String())
	}
}

// TestRun_GracefulShutdownFinishesInFlightRequests holds a request inside
// a handler, asks the program to stop, and checks that it waits for the
// request to finish and answers it before exiting.
func TestRun_GracefulShutdownFinishesInFlightRequests(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	slow := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/test-slow" {
				close(entered)
				<-release
				io.WriteString(w, "finished")
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	base, stop, _ := startProgramWith(t, slow)
	type result struct {
		body string
		err  error
	}
	resc := make(chan result, 1)
	go func() {
		resp, err := http.Get(base + "/test-slow")
		if err != nil {
			resc <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		resc <- result{string(b), err}
	}()
	<-entered
	codec := make(chan int, 1)
	go func() { codec <- stop() }()
	select {
	case code := <-codec:
		t.Fatalf("program exited (%d) while a request was in flight", code)
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	if r := <-resc; r.err != nil || r.body != "finished" {
		t.Fatalf("in-flight request: body %q, err %v", r.body, r.err)
	}
	if code := <-codec; code != exitOK {
		t.Errorf("exit code %d", code)
	}
}

func TestRun_CommandLineAndConfiguration(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		env        map[string]string
		wantCode   int
		wantStderr string
		wantStdout string
	}{
		{name: "bad configuration", env: map[string]string{"REGISTRY_ADDR": "nonsense"}, wantCode: exitUsage, wantStderr: "REGISTRY_ADDR"},
		{name: "unknown command", args: []string{"fly"}, wantCode: exitUsage, wantStderr: `unknown command "fly"`},
		{name: "migrate without action", args: []string{"migrate"}, env: map[string]string{"DATABASE_URL": "postgres://x@127.0.0.1:1/x"}, wantCode: exitUsage, wantStderr: "up, down, status"},
		{name: "help lists every variable", args: []string{"help"}, wantCode: exitOK, wantStdout: "REGISTRY_SHUTDOWN_TIMEOUT"},
		{
			name: "no PostgreSQL binaries", env: map[string]string{"PG_BINDIR": t.TempDir(), "REGISTRY_DATA_DIR": t.TempDir()},
			wantCode: exitFailed, wantStderr: "DATABASE_URL",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr syncBuffer
			code := run(context.Background(), tt.args, envOf(tt.env), &stdout, &stderr)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d\nstderr: %s", code, tt.wantCode, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantStderr, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.wantStdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.wantStdout, stdout.String())
			}
		})
	}
}

func TestRun_MigrateStatus(t *testing.T) {
	var stdout, stderr syncBuffer
	code := run(context.Background(), []string{"migrate", "status"}, envOf(map[string]string{"DATABASE_URL": storetest.URL(t)}), &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "00001") || !strings.Contains(stdout.String(), "applied") {
		t.Errorf("status output:\n%s", stdout.String())
	}
}
