package pgserver

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// pidFile is what a running postmaster writes to DataDir/postmaster.pid.
type pidFile struct {
	pid    int
	port   int
	status string // "starting", "ready", "stopping", … (PostgreSQL 10+)
}

// readPidFile parses DataDir/postmaster.pid. It returns fs.ErrNotExist
// (wrapped) when there is none.
func readPidFile(dataDir string) (pidFile, error) {
	b, err := os.ReadFile(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		return pidFile{}, err
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 4 {
		return pidFile{}, fmt.Errorf("pgserver: postmaster.pid in %s is incomplete", dataDir)
	}
	var pf pidFile
	if pf.pid, err = strconv.Atoi(strings.TrimSpace(lines[0])); err != nil {
		return pidFile{}, fmt.Errorf("pgserver: postmaster.pid in %s: bad pid: %w", dataDir, err)
	}
	if pf.port, err = strconv.Atoi(strings.TrimSpace(lines[3])); err != nil {
		return pidFile{}, fmt.Errorf("pgserver: postmaster.pid in %s: bad port: %w", dataDir, err)
	}
	if len(lines) > 7 {
		pf.status = strings.TrimSpace(lines[7])
	}
	return pf, nil
}

// alive reports whether the pid file's process still runs and is a
// postgres. A pid alone is not enough: after a crash or a container restart
// the number may belong to an unrelated process.
func (pf pidFile) alive() bool {
	if pf.pid <= 0 {
		return false
	}
	if err := syscall.Kill(pf.pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pf.pid))
	if err != nil {
		// No /proc (or the process just went): trust kill's answer only
		// when /proc is absent altogether.
		_, statErr := os.Stat("/proc/self")
		return statErr != nil
	}
	return bytes.HasPrefix(comm, []byte("postgres"))
}
