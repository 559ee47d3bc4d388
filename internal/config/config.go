// Package config reads the registry's configuration from the environment
// (through a getenv function, so tests need no process state) and validates
// it once at start.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is the validated configuration of one registry process.
type Config struct {
	// Addr is the listen address (REGISTRY_ADDR, default 127.0.0.1:8080).
	Addr string
	// BaseURL is the public URL, used in API links (REGISTRY_BASE_URL,
	// default http://<Addr>).
	BaseURL string
	// DatabaseURL points at PostgreSQL (DATABASE_URL). Empty means: start
	// the embedded PostgreSQL from the system's binaries.
	DatabaseURL string
	// DataDir holds the embedded PostgreSQL's data (REGISTRY_DATA_DIR, default .data).
	DataDir string
	// PGBinDir overrides where PostgreSQL's binaries are found (PG_BINDIR).
	PGBinDir string
	// Seed loads the shipped catalogue at start (REGISTRY_SEED, default true).
	Seed bool
	// LogLevel is debug, info, warn or error (REGISTRY_LOG_LEVEL, default info).
	LogLevel string
	// LogFormat is json or text (REGISTRY_LOG_FORMAT, default json).
	LogFormat string
	// ShutdownTimeout bounds the graceful shutdown (REGISTRY_SHUTDOWN_TIMEOUT, default 15s).
	ShutdownTimeout time.Duration
	// DBMaxConns caps the connection pool (REGISTRY_DB_MAX_CONNS, default 16).
	DBMaxConns int
	// SearchCache is how many search results are kept in memory
	// (REGISTRY_SEARCH_CACHE, default 1000; 0 turns the cache off).
	SearchCache int
	// PageStore keeps rendered product pages in the database and renders
	// the ones a write made stale in the background (REGISTRY_PAGE_STORE,
	// default true).
	PageStore bool
	// BaseURLSet says REGISTRY_BASE_URL was given; otherwise the base URL
	// follows the address actually listened on (port 0 in tests).
	BaseURLSet bool
	// Production is REGISTRY_MODE=production: no built-in OpenID provider.
	Production bool
	// OIDCIssuer, OIDCClientID, OIDCClientSecret, OIDCRolesClaim and
	// OIDCOrganizationsClaim configure sign-in with an external OpenID
	// provider (OIDC_*).
	OIDCIssuer, OIDCClientID, OIDCClientSecret, OIDCRolesClaim, OIDCOrganizationsClaim string
	// DevIDPAddr is where the built-in OpenID provider listens in dev mode
	// when no OIDC_ISSUER is set (REGISTRY_DEV_IDP_ADDR).
	DevIDPAddr string
	// MemoryLimitSet says GOMEMLIMIT was given: the Go runtime reads it
	// itself; without it `registry serve` sets DefaultServeMemoryLimit.
	MemoryLimitSet bool
	// DebugAddr is where the Go profiler (net/http/pprof) listens
	// (REGISTRY_DEBUG_ADDR); empty (the default) means nowhere.
	DebugAddr string
}

// DefaultServeMemoryLimit is the soft memory limit `registry serve` gives
// the Go runtime unless GOMEMLIMIT is set. The server's live heap is
// 40–60 MB on a 100,000-product catalogue, but loading the dependency
// graph (a million edges) or a large closure briefly allocates hundreds of
// MB, and with the collector's default pacing the process kept that much
// resident (540 MB after a few product pages on the 1,000,000-edge
// catalogue). Near the limit the collector runs more often instead; it
// never takes more than half the CPU for it, so a heap that outgrows the
// limit slows the server down rather than stopping it.
const DefaultServeMemoryLimit = 160 << 20

// Vars documents every environment variable, for --help and the README.
var Vars = []struct{ Name, Default, Meaning string }{
	{"REGISTRY_ADDR", "127.0.0.1:8080", "listen address (host:port)"},
	{"REGISTRY_BASE_URL", "http://<listen address>", "public base URL, used in API links and as the sign-in callback"},
	{"DATABASE_URL", "(embedded)", "PostgreSQL URL; unset starts a local PostgreSQL under REGISTRY_DATA_DIR"},
	{"REGISTRY_DATA_DIR", ".data", "data folder of the embedded PostgreSQL"},
	{"PG_BINDIR", "(searched)", "folder with PostgreSQL's server binaries (initdb, pg_ctl, postgres)"},
	{"REGISTRY_SEED", "true", "load the shipped seed catalogue at start (idempotent)"},
	{"REGISTRY_LOG_LEVEL", "info", "debug, info, warn or error"},
	{"REGISTRY_LOG_FORMAT", "json", "json or text"},
	{"REGISTRY_SHUTDOWN_TIMEOUT", "15s", "how long in-flight requests may finish on SIGTERM"},
	{"REGISTRY_DB_MAX_CONNS", "16", "maximum open database connections"},
	{"REGISTRY_SEARCH_CACHE", "1000", "search results kept in memory until the catalogue changes (0: off)"},
	{"REGISTRY_PAGE_STORE", "true", "keep rendered product pages in the database and render stale ones in the background"},
	{"REGISTRY_MODE", "dev", "dev (built-in OpenID provider with demo accounts) or production"},
	{"REGISTRY_DEV_IDP_ADDR", "127.0.0.1:8081", "listen address of the built-in OpenID provider (dev mode without OIDC_ISSUER)"},
	{"GOMEMLIMIT", "160MiB (serve)", "soft memory limit of the Go runtime (e.g. 512MiB); `registry serve` sets 160MiB when it is unset, other commands keep Go's default (none)"},
	{"REGISTRY_DEBUG_ADDR", "", "listen address of the Go profiler (/debug/pprof/); keep it on a loopback address (empty: off)"},
	{"OIDC_ISSUER", "(built-in in dev)", "issuer URL of the OpenID provider for sign-in; unset in production: sign-in off"},
	{"OIDC_CLIENT_ID", "registry", "the registry's client id at the provider"},
	{"OIDC_CLIENT_SECRET", "", "the registry's client secret at the provider"},
	{"OIDC_ROLES_CLAIM", "groups", "ID token claim with the roles (dotted path, e.g. realm_access.roles)"},
	{"OIDC_ORGANIZATIONS_CLAIM", "organizations", "ID token claim with the slugs of the organisations a vendor acts for (empty: admins assign them)"},
}

// Load reads and validates the configuration. All problems are reported
// together, one per line.
func Load(getenv func(string) string) (Config, error) {
	var errs []error
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Addr:        get("REGISTRY_ADDR", "127.0.0.1:8080"),
		DatabaseURL: get("DATABASE_URL", ""),
		DataDir:     get("REGISTRY_DATA_DIR", ".data"),
		PGBinDir:    get("PG_BINDIR", ""),
		LogLevel:    strings.ToLower(get("REGISTRY_LOG_LEVEL", "info")),
		LogFormat:   strings.ToLower(get("REGISTRY_LOG_FORMAT", "json")),
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("REGISTRY_ADDR=%q is not host:port", c.Addr))
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		errs = append(errs, fmt.Errorf("REGISTRY_ADDR=%q has no valid port", c.Addr))
	}
	c.BaseURLSet = strings.TrimSpace(getenv("REGISTRY_BASE_URL")) != ""
	c.BaseURL = strings.TrimRight(get("REGISTRY_BASE_URL", "http://"+c.Addr), "/")
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("REGISTRY_BASE_URL=%q is not an http(s) URL", c.BaseURL))
	}
	if c.DatabaseURL != "" {
		if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			errs = append(errs, errors.New("DATABASE_URL is not a postgres:// URL"))
		}
	}
	var err error
	if c.Seed, err = strconv.ParseBool(get("REGISTRY_SEED", "true")); err != nil {
		errs = append(errs, fmt.Errorf("REGISTRY_SEED=%q is not true or false", getenv("REGISTRY_SEED")))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("REGISTRY_LOG_LEVEL=%q is not debug, info, warn or error", c.LogLevel))
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		errs = append(errs, fmt.Errorf("REGISTRY_LOG_FORMAT=%q is not json or text", c.LogFormat))
	}
	if c.ShutdownTimeout, err = time.ParseDuration(get("REGISTRY_SHUTDOWN_TIMEOUT", "15s")); err != nil || c.ShutdownTimeout <= 0 {
		errs = append(errs, fmt.Errorf("REGISTRY_SHUTDOWN_TIMEOUT=%q is not a positive duration like 15s", getenv("REGISTRY_SHUTDOWN_TIMEOUT")))
	}
	if c.DBMaxConns, err = strconv.Atoi(get("REGISTRY_DB_MAX_CONNS", "16")); err != nil || c.DBMaxConns < 1 || c.DBMaxConns > 1000 {
		errs = append(errs, fmt.Errorf("REGISTRY_DB_MAX_CONNS=%q is not a number from 1 to 1000", getenv("REGISTRY_DB_MAX_CONNS")))
	}
	if c.SearchCache, err = strconv.Atoi(get("REGISTRY_SEARCH_CACHE", "1000")); err != nil || c.SearchCache < 0 || c.SearchCache > 1_000_000 {
		errs = append(errs, fmt.Errorf("REGISTRY_SEARCH_CACHE=%q is not a number from 0 to 1000000", getenv("REGISTRY_SEARCH_CACHE")))
	}
	if c.PageStore, err = strconv.ParseBool(get("REGISTRY_PAGE_STORE", "true")); err != nil {
		errs = append(errs, fmt.Errorf("REGISTRY_PAGE_STORE=%q is not true or false", getenv("REGISTRY_PAGE_STORE")))
	}
	switch mode := strings.ToLower(get("REGISTRY_MODE", "dev")); mode {
	case "dev":
	case "production":
		c.Production = true
	default:
		errs = append(errs, fmt.Errorf("REGISTRY_MODE=%q is not dev or production", mode))
	}
	c.OIDCIssuer = strings.TrimRight(get("OIDC_ISSUER", ""), "/")
	if c.OIDCIssuer != "" {
		if u, err := url.Parse(c.OIDCIssuer); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("OIDC_ISSUER=%q is not an http(s) URL", c.OIDCIssuer))
		}
	}
	c.OIDCClientID = get("OIDC_CLIENT_ID", "registry")
	c.OIDCClientSecret = get("OIDC_CLIENT_SECRET", "")
	c.OIDCRolesClaim = get("OIDC_ROLES_CLAIM", "groups")
	c.OIDCOrganizationsClaim = get("OIDC_ORGANIZATIONS_CLAIM", "organizations")
	c.DevIDPAddr = get("REGISTRY_DEV_IDP_ADDR", "127.0.0.1:8081")
	if _, _, err := net.SplitHostPort(c.DevIDPAddr); err != nil {
		errs = append(errs, fmt.Errorf("REGISTRY_DEV_IDP_ADDR=%q is not host:port", c.DevIDPAddr))
	}
	c.MemoryLimitSet = strings.TrimSpace(getenv("GOMEMLIMIT")) != ""
	c.DebugAddr = get("REGISTRY_DEBUG_ADDR", "")
	if c.DebugAddr != "" {
		if _, _, err := net.SplitHostPort(c.DebugAddr); err != nil {
			errs = append(errs, fmt.Errorf("REGISTRY_DEBUG_ADDR=%q is not host:port", c.DebugAddr))
		}
	}
	return c, errors.Join(errs...)
}
