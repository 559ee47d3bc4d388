package config

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
		check   func(t *testing.T, c Config)
	}{
		{
			name: "defaults need no environment",
			env:  map[string]string{},
			check: func(t *testing.T, c Config) {
				if c.Addr != "127.0.0.1:8080" || c.BaseURL != "http://127.0.0.1:8080" || c.DatabaseURL != "" || !c.Seed || !c.PageStore || c.ShutdownTimeout != 15*time.Second {
					t.Errorf("unexpected defaults: %+v", c)
				}
			},
		},
		{
			name: "explicit values",
			env:  map[string]string{"REGISTRY_ADDR": ":9000", "DATABASE_URL": "postgres://u@h/db", "REGISTRY_SEED": "false", "REGISTRY_BASE_URL": "https://register.example/"},
			check: func(t *testing.T, c Config) {
				if c.Addr != ":9000" || c.Seed || c.BaseURL != "https://register.example" {
					t.Errorf("values not taken: %+v", c)
				}
			},
		},
		{name: "bad address", env: map[string]string{"REGISTRY_ADDR": "localhost"}, wantErr: "REGISTRY_ADDR"},
		{name: "bad database url", env: map[string]string{"DATABASE_URL": "mysql://x"}, wantErr: "DATABASE_URL"},
		{name: "bad bool", env: map[string]string{"REGISTRY_SEED": "maybe"}, wantErr: "REGISTRY_SEED"},
		{name: "bad duration", env: map[string]string{"REGISTRY_SHUTDOWN_TIMEOUT": "soon"}, wantErr: "REGISTRY_SHUTDOWN_TIMEOUT"},
		{name: "bad log level", env: map[string]string{"REGISTRY_LOG_LEVEL": "loud"}, wantErr: "REGISTRY_LOG_LEVEL"},
		{name: "bad pool size", env: map[string]string{"REGISTRY_DB_MAX_CONNS": "0"}, wantErr: "REGISTRY_DB_MAX_CONNS"},
		{name: "bad page store switch", env: map[string]string{"REGISTRY_PAGE_STORE": "sometimes"}, wantErr: "REGISTRY_PAGE_STORE"},
		{name: "bad cache size", env: map[string]string{"REGISTRY_SEARCH_CACHE": "-1"}, wantErr: "REGISTRY_SEARCH_CACHE"},
		{name: "bad mode", env: map[string]string{"REGISTRY_MODE": "staging"}, wantErr: "REGISTRY_MODE"},
		{name: "bad issuer", env: map[string]string{"OIDC_ISSUER": "ftp://idp"}, wantErr: "OIDC_ISSUER"},
		{name: "bad debug address", env: map[string]string{"REGISTRY_DEBUG_ADDR": "6060"}, wantErr: "REGISTRY_DEBUG_ADDR"},
		{
			name: "profiler off unless asked for",
			env:  map[string]string{},
			check: func(t *testing.T, c Config) {
				if c.DebugAddr != "" {
					t.Errorf("DebugAddr = %q by default, want empty", c.DebugAddr)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(env(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load: got error %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			tt.check(t, c)
		})
	}
}
