package pgserver

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// ErrNoBinaries is wrapped by the error returned when no PostgreSQL server
// binaries (initdb and postgres) can be found. Test it with errors.Is.
var ErrNoBinaries = errors.New("no PostgreSQL server binaries (initdb, postgres) found")

// Binaries holds the absolute paths of the PostgreSQL programs a Server runs.
type Binaries struct {
	// InitDB is the path of initdb.
	InitDB string
	// Postgres is the path of the postgres server program.
	Postgres string
}

// searchRoots returns the glob patterns, in order, searched for server
// binaries when neither an explicit directory nor PATH provides them. Within
// one pattern the highest PostgreSQL version wins.
func searchRoots() []string {
	return []string{"/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin"}
}

// FindBinaries locates initdb and postgres. It looks in dir if it is not
// empty, else in $PG_BINDIR if set, else on $PATH, else in the directory of
// the highest version under /usr/lib/postgresql/*/bin, else in
// /usr/local/pgsql/bin. An explicit dir or PG_BINDIR that lacks the binaries
// is an error, never silently replaced by another installation. A failure
// wraps ErrNoBinaries.
func FindBinaries(dir string) (Binaries, error) {
	if dir == "" {
		dir = os.Getenv("PG_BINDIR")
	}
	return findBinaries(dir, os.Getenv("PATH"), searchRoots())
}

func findBinaries(dir, pathEnv string, roots []string) (Binaries, error) {
	if dir != "" {
		if b, ok := binariesIn(dir); ok {
			return b, nil
		}
		return Binaries{}, noBinaries("in " + dir)
	}
	if b, ok := binariesOnPath(pathEnv); ok {
		return b, nil
	}
	for _, pattern := range roots {
		dirs, _ := filepath.Glob(pattern) // the only possible error is a bad pattern
		sort.Slice(dirs, func(i, j int) bool { return versionLess(dirs[j], dirs[i]) })
		for _, d := range dirs {
			if b, ok := binariesIn(d); ok {
				return b, nil
			}
		}
	}
	return Binaries{}, noBinaries("in PG_BINDIR, on PATH or under " + strings.Join(roots, ", "))
}

// noBinaries builds the one-sentence error that tells the reader what to do.
func noBinaries(where string) error {
	return fmt.Errorf("%w %s: install them (e.g. apt-get install postgresql), set PG_BINDIR to their directory, or set DATABASE_URL to use an existing server", ErrNoBinaries, where)
}

// binariesIn reports the binaries in dir, with symbolic links resolved so
// that postgres finds its share directory relative to its real location.
func binariesIn(dir string) (Binaries, bool) {
	initdb, err1 := executable(filepath.Join(dir, "initdb"))
	postgres, err2 := executable(filepath.Join(dir, "postgres"))
	if err1 != nil || err2 != nil {
		return Binaries{}, false
	}
	return Binaries{InitDB: initdb, Postgres: postgres}, true
}

func binariesOnPath(pathEnv string) (Binaries, bool) {
	var b Binaries
	for _, d := range filepath.SplitList(pathEnv) {
		if d == "" {
			continue
		}
		if p, err := executable(filepath.Join(d, "postgres")); err == nil && b.Postgres == "" {
			b.Postgres = p
			// Prefer the initdb that belongs to this postgres.
			if i, err := executable(filepath.Join(filepath.Dir(p), "initdb")); err == nil {
				b.InitDB = i
			}
		}
		if p, err := executable(filepath.Join(d, "initdb")); err == nil && b.InitDB == "" {
			b.InitDB = p
		}
	}
	return b, b.InitDB != "" && b.Postgres != ""
}

// executable returns the absolute, symlink-free path of an executable file.
func executable(path string) (string, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", err
	}
	real, err = filepath.Abs(real)
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(real)
	if err != nil {
		return "", err
	}
	if fi.IsDir() || fi.Mode()&0o111 == 0 {
		return "", exec.ErrNotFound
	}
	return real, nil
}

// versionLess orders /usr/lib/postgresql/<version>/bin directories by
// version number, so that "10" sorts after "9.6".
func versionLess(a, b string) bool {
	va, vb := versionOf(a), versionOf(b)
	for i := 0; i < len(va) && i < len(vb); i++ {
		if va[i] != vb[i] {
			return va[i] < vb[i]
		}
	}
	if len(va) != len(vb) {
		return len(va) < len(vb)
	}
	return a < b
}

func versionOf(binDir string) []int {
	var v []int
	for _, part := range strings.Split(filepath.Base(filepath.Dir(binDir)), ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			return v
		}
		v = append(v, n)
	}
	return v
}
