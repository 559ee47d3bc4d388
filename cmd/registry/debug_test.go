package main

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
)

func TestStartDebug(t *testing.T) {
	e := env{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	t.Run("off without an address", func(t *testing.T) {
		stop, err := startDebug(e, "")
		if err != nil {
			t.Fatalf("startDebug: %v", err)
		}
		stop()
	})
	t.Run("serves the profiler on its own listener", func(t *testing.T) {
		// Find a free port, then let startDebug listen on it.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		stop, err := startDebug(e, addr)
		if err != nil {
			t.Fatalf("startDebug: %v", err)
		}
		defer stop()
		res, err := http.Get("http://" + addr + "/debug/pprof/")
		if err != nil {
			t.Fatalf("GET /debug/pprof/: %v", err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "goroutine") {
			t.Errorf("GET /debug/pprof/: %d, body without the profile index", res.StatusCode)
		}
	})
	t.Run("an address in use is an error", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		if _, err := startDebug(e, ln.Addr().String()); err == nil {
			t.Error("startDebug on a port in use: no error")
		}
	})
}
