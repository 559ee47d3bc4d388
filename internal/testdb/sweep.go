package testdb

import (
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// tmpPrefix starts the name of every throwaway server's directory.
const tmpPrefix = "registry-testdb-"

// staleAfter is how old a throwaway server's directory must be before
// sweepStale may remove it.
const staleAfter = time.Hour

// sweepStale removes the directories of throwaway servers that earlier test
// binaries left behind when they died without cleaning up (a panic, a
// timeout, kill -9): older than an hour and with no server running on them.
// Their servers are already gone, stopped by the kernel's parent-death
// signal (see pgserver).
func sweepStale(log *slog.Logger) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), tmpPrefix+"*"))
	for _, dir := range dirs {
		fi, err := os.Stat(dir)
		if err != nil || !fi.IsDir() || time.Since(fi.ModTime()) < staleAfter {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "data", "postmaster.pid")); err == nil {
			continue // a server runs there, or crashed; leave it alone
		}
		if err := os.RemoveAll(dir); err != nil {
			log.Warn("testdb: could not remove a stale test server directory", "dir", dir, "error", err)
		}
	}
}
