package devidp

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// Paths of the provider's own pages, relative to the issuer.
const (
	pathLogin     = "/login"
	pathLoggedOut = "/logged-out"
)

// Server is a running development provider; it is an http.Handler to be
// served at the issuer URL.
type Server struct {
	issuer  string
	storage *storage
	handler http.Handler
}

// New builds a development provider. It returns ErrProduction when
// opts.Production is true, and an error wrapping ErrConfig for an unusable
// issuer, no clients, no users or duplicate IDs.
func New(opts Options) (*Server, error) {
	if opts.Production {
		return nil, ErrProduction
	}
	issuer := strings.TrimSuffix(opts.Issuer, "/")
	iu, err := url.Parse(issuer)
	if err != nil || (iu.Scheme != "http" && iu.Scheme != "https") || iu.Host == "" || iu.RawQuery != "" || iu.Fragment != "" {
		return nil, fmt.Errorf("%w: issuer %q must be an absolute http(s) URL without query", ErrConfig, opts.Issuer)
	}
	lifetime := opts.IDTokenLifetime
	if lifetime <= 0 {
		lifetime = time.Hour
	}
	clients, err := buildClients(opts.Clients, issuer+pathLogin, lifetime)
	if err != nil {
		return nil, err
	}
	if err := checkUsers(opts.Users); err != nil {
		return nil, err
	}
	key, err := newSigningKey()
	if err != nil {
		return nil, err
	}
	st := &storage{
		key:           key,
		clients:       clients,
		users:         append([]User(nil), opts.Users...),
		tokenLifetime: lifetime,
		now:           time.Now,
		requests:      map[string]*authRequest{},
		codes:         map[string]code{},
		usedCodes:     map[string]string{},
		tokens:        map[string]*token{},
	}

	var cfg op.Config
	// The key encrypts opaque access tokens; a fresh one per start is fine for dev.
	_, _ = rand.Read(cfg.CryptoKey[:]) // never fails since Go 1.24
	cfg.CryptoKeyId = "devidp"
	cfg.CodeMethodS256 = true
	cfg.AuthMethodPost = true
	cfg.DefaultLogoutRedirectURI = iu.Path + pathLoggedOut
	cfg.SupportedUILocales = []language.Tag{language.English, language.German}
	opts2 := []op.Option{}
	if iu.Scheme == "http" {
		opts2 = append(opts2, op.WithAllowInsecure())
	}
	provider, err := op.NewProvider(&cfg, st, op.StaticIssuer(issuer), opts2...)
	if err != nil {
		return nil, fmt.Errorf("devidp: create provider: %w", err)
	}

	callback := provider.AuthorizationEndpoint().Absolute(issuer) + "/callback"
	mux := http.NewServeMux()
	mux.Handle(pathLogin, &loginPage{storage: st, callbackURL: callback})
	mux.HandleFunc(pathLoggedOut, loggedOut)
	mux.Handle("/", provider)

	var h http.Handler = mux
	if p := strings.TrimSuffix(iu.Path, "/"); p != "" {
		h = http.StripPrefix(p, mux)
	}
	return &Server{issuer: issuer, storage: st, handler: h}, nil
}

// Issuer returns the issuer URL the provider announces.
func (s *Server) Issuer() string { return s.issuer }

// ServeHTTP serves the provider's endpoints and pages.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func buildClients(cs []Client, loginURL string, lifetime time.Duration) (map[string]*opClient, error) {
	if len(cs) == 0 {
		return nil, fmt.Errorf("%w: no clients", ErrConfig)
	}
	out := make(map[string]*opClient, len(cs))
	for _, c := range cs {
		if c.ID == "" || c.Secret == "" || len(c.RedirectURIs) == 0 {
			return nil, fmt.Errorf("%w: client %q needs an ID, a secret and redirect URIs", ErrConfig, c.ID)
		}
		if _, dup := out[c.ID]; dup {
			return nil, fmt.Errorf("%w: duplicate client %q", ErrConfig, c.ID)
		}
		out[c.ID] = &opClient{Client: c, loginURL: loginURL, tokenLifetime: lifetime}
	}
	return out, nil
}

func checkUsers(us []User) error {
	if len(us) == 0 {
		return fmt.Errorf("%w: no users", ErrConfig)
	}
	subjects, names := map[string]bool{}, map[string]bool{}
	for _, u := range us {
		if u.Subject == "" || u.Username == "" || u.Password == "" {
			return fmt.Errorf("%w: user %q needs a subject, a username and a password", ErrConfig, u.Username)
		}
		if subjects[u.Subject] || names[u.Username] {
			return fmt.Errorf("%w: duplicate user %q", ErrConfig, u.Username)
		}
		subjects[u.Subject], names[u.Username] = true, true
	}
	return nil
}
