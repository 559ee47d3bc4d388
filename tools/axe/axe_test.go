package axe

import (
	"strings"
	"testing"
)

func TestSource(t *testing.T) {
	if !strings.Contains(Source(), "axe") || len(Source()) < 100_000 {
		t.Errorf("axe.min.js looks wrong (%d bytes)", len(Source()))
	}
	if v := Version(); v == "" || strings.ContainsAny(v, " \n") || !strings.Contains(Source(), v) {
		t.Errorf("Version() = %q does not match the script", v)
	}
}
