package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// registry is the registry program running as a subprocess.
type registry struct {
	cmd     *exec.Cmd
	baseURL string
	dir     string // temporary build directory, removed on stop
	log     *lockedBuffer
	exited  chan struct{}
}

// startRegistry builds the registry (unless bin is given), starts it on a
// free loopback port against dbURL and waits until /readyz answers.
func startRegistry(ctx context.Context, bin, dbURL string, extraEnv []string, logf func(string, ...any)) (*registry, error) {
	dir, err := os.MkdirTemp("", "registry-bench-")
	if err != nil {
		return nil, err
	}
	r := &registry{dir: dir, log: &lockedBuffer{}, exited: make(chan struct{})}
	if bin == "" {
		bin = filepath.Join(dir, "registry")
		t := time.Now()
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/registry")
		if out, err := build.CombinedOutput(); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("go build ./cmd/registry: %v\n%s", err, out)
		}
		logf("built the registry in %s", time.Since(t).Round(time.Millisecond))
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	r.baseURL = "http://" + addr
	r.cmd = exec.Command(bin, "serve")
	r.cmd.Env = append(cleanEnv(os.Environ()),
		"DATABASE_URL="+dbURL, "REGISTRY_ADDR="+addr, "REGISTRY_SEED=false", "REGISTRY_LOG_LEVEL=warn")
	r.cmd.Env = append(r.cmd.Env, extraEnv...)
	r.cmd.Stdout = r.log
	r.cmd.Stderr = r.log
	if err := r.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	go func() { _ = r.cmd.Wait(); close(r.exited) }()
	if err := r.waitReady(ctx, 5*time.Minute); err != nil {
		r.stop(logf)
		return nil, fmt.Errorf("%w\nregistry log:\n%s", err, r.logTail())
	}
	logf("registry (pid %d) ready at %s", r.cmd.Process.Pid, r.baseURL)
	return r, nil
}

// cleanEnv drops the registry's own variables, so the caller's shell
// cannot change what is measured.
func cleanEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		if strings.HasPrefix(kv, "REGISTRY_") || strings.HasPrefix(kv, "DATABASE_URL=") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func (r *registry) waitReady(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	client := &http.Client{Timeout: 2 * time.Second}
	for time.Now().Before(deadline) {
		select {
		case <-r.exited:
			return errors.New("the registry exited before it was ready")
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := client.Get(r.baseURL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return fmt.Errorf("the registry was not ready within %s", timeout)
}

// stop ends the subprocess (SIGTERM, then SIGKILL after 10 s) and removes
// the build directory.
func (r *registry) stop(logf func(string, ...any)) {
	defer os.RemoveAll(r.dir)
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	select {
	case <-r.exited:
		return
	default:
	}
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.exited:
	case <-time.After(10 * time.Second):
		logf("registry did not stop on SIGTERM; killing pid %d", r.cmd.Process.Pid)
		_ = r.cmd.Process.Kill()
		<-r.exited
	}
}

// memoryStats are the registry process's resident memory, from
// /proc/<pid>/status: VmHWM is the peak, VmRSS the current value.
type memoryStats struct {
	peakRSS, rss int64 // bytes
}

func (r *registry) memory() (memoryStats, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", r.cmd.Process.Pid))
	if err != nil {
		return memoryStats{}, err
	}
	defer f.Close()
	var m memoryStats
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		fields := strings.Fields(v)
		if len(fields) != 2 || fields[1] != "kB" {
			continue
		}
		n, _ := strconv.ParseInt(fields[0], 10, 64)
		switch k {
		case "VmHWM":
			m.peakRSS = n * 1024
		case "VmRSS":
			m.rss = n * 1024
		}
	}
	if m.peakRSS == 0 {
		return m, errors.New("no VmHWM in /proc status")
	}
	return m, sc.Err()
}

// logTail returns the last lines the registry wrote.
func (r *registry) logTail() string {
	lines := strings.Split(strings.TrimSpace(r.log.String()), "\n")
	if len(lines) > 20 {
		lines = lines[len(lines)-20:]
	}
	return strings.Join(lines, "\n")
}

// lockedBuffer collects the subprocess's output; past a megabyte it drops
// the older half, so the tail is always there.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 1<<20 {
		rest := append([]byte(nil), b.buf.Bytes()[b.buf.Len()/2:]...)
		b.buf.Reset()
		b.buf.Write(rest)
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
