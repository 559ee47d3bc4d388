package pgserver

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// runAs is the unprivileged account the server runs under when we are root.
// A nil *runAs means "run as ourselves".
type runAs struct {
	name string
	uid  uint32
	gid  uint32
	gids map[uint32]bool // primary and supplementary groups
}

// serverAccount picks the account to run initdb and postgres under.
//
// PostgreSQL refuses to run as root (initdb and postgres both exit with
// "cannot be run as root"), because a superuser database server turns every
// SQL injection or extension bug into full control of the machine. Developers
// and CI run as root here, so when our effective uid is 0 we drop to the
// "postgres" system account (made by the Debian packages) or, failing that,
// "nobody", via SysProcAttr.Credential on the child processes, and hand the
// data directory to that account.
func serverAccount() (*runAs, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	var lastErr error
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			lastErr = err
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("pgserver: account %s has a non-numeric uid or gid: %w", name, err)
		}
		a := &runAs{name: name, uid: uint32(uid), gid: uint32(gid), gids: map[uint32]bool{uint32(gid): true}}
		if ids, err := u.GroupIds(); err == nil {
			for _, s := range ids {
				if g, err := strconv.ParseUint(s, 10, 32); err == nil {
					a.gids[uint32(g)] = true
				}
			}
		}
		return a, nil
	}
	return nil, fmt.Errorf("pgserver: running as root, PostgreSQL refuses root and neither a postgres nor a nobody account exists (create one, e.g. with adduser --system postgres): %w", lastErr)
}

// credential returns the SysProcAttr credential for the child, or nil.
func (a *runAs) credential() *syscall.Credential {
	if a == nil {
		return nil
	}
	// Groups: the supplementary groups, so that e.g. ssl-cert keeps working.
	c := &syscall.Credential{Uid: a.uid, Gid: a.gid}
	for g := range a.gids {
		if g != a.gid {
			c.Groups = append(c.Groups, g)
		}
	}
	return c
}

// chown hands path to the account; a no-op when not running as root.
func (a *runAs) chown(path string) error {
	if a == nil {
		return nil
	}
	if err := os.Lchown(path, int(a.uid), int(a.gid)); err != nil {
		return fmt.Errorf("pgserver: chown %s to %s: %w", path, a.name, err)
	}
	return nil
}

// chownTree hands dir and everything below it to the account, unless dir
// already belongs to it (then the tree is assumed to, which spares a walk
// over a large data directory on every start).
func (a *runAs) chownTree(dir string) error {
	if a == nil {
		return nil
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("pgserver: %w", err)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid == a.uid {
		return nil
	}
	return filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("pgserver: %w", err)
		}
		return a.chown(path)
	})
}

// checkTraversable reports a clear error when the account may not enter
// every parent directory of dir, which would make initdb and postgres fail
// with a less helpful "permission denied".
func (a *runAs) checkTraversable(dir string) error {
	if a == nil {
		return nil
	}
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("pgserver: %w", err)
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if ok {
			var bit fs.FileMode = 0o001
			switch {
			case st.Uid == a.uid:
				bit = 0o100
			case a.gids[st.Gid]:
				bit = 0o010
			}
			if fi.Mode().Perm()&bit == 0 {
				return fmt.Errorf("pgserver: the server runs as user %s (we are root, and PostgreSQL refuses root), which cannot enter %s, a parent of the data directory %s: make it traversable (chmod o+x %s) or put the data directory elsewhere", a.name, p, dir, p)
			}
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}
