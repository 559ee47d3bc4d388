package archtest

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/sovereignty-registry/registry"

type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
	Standard   bool
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-json", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var pkgs []pkg
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	return pkgs
}

func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

func TestImportRules(t *testing.T) {
	rel := func(p string) string { return strings.TrimPrefix(strings.TrimPrefix(p, module), "/") }
	for _, p := range listPackages(t) {
		name := rel(p.ImportPath)
		t.Run(name, func(t *testing.T) {
			for _, imp := range p.Imports {
				switch {
				case strings.HasPrefix(imp, "gorm.io/") && name != "internal/store":
					t.Errorf("%s imports %s: gorm lives only in internal/store", name, imp)
				case strings.HasPrefix(imp, "github.com/labstack/echo") &&
					name != "internal/web" && name != "internal/api" && name != "internal/server" && name != "cmd/registry":
					t.Errorf("%s imports %s: echo lives only in the web, API and server layers", name, imp)
				}
			}
			switch name {
			case "internal/sovereignty", "internal/config", "internal/auth", "internal/pages":
				for _, d := range p.Deps {
					if !isStd(d) {
						t.Errorf("%s depends on %s: it must use the standard library only", name, d)
					}
				}
			case "internal/catalog", "internal/workflow":
				for _, d := range p.Deps {
					if !isStd(d) && !strings.HasPrefix(d, module+"/internal/sovereignty") && !strings.HasPrefix(d, module+"/internal/catalog") {
						t.Errorf("%s depends on %s: the domain uses only the standard library, internal/catalog and internal/sovereignty", name, d)
					}
				}
			case "views":
				for _, d := range p.Deps {
					if strings.HasPrefix(d, "gorm.io/") || strings.HasPrefix(d, "github.com/labstack/echo") || strings.HasPrefix(d, module+"/internal/store") {
						t.Errorf("views depend on %s: views receive typed data only", d)
					}
				}
			}
		})
	}
}
