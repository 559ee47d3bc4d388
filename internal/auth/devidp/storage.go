package devidp

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Lifetimes of the short-lived artefacts of a login.
const (
	authRequestLifetime = 10 * time.Minute
	codeLifetime        = time.Minute
)

var (
	errNotFound    = errors.New("not found")
	errExpired     = errors.New("expired")
	errCredentials = errors.New("wrong username or password")
	errUnsupported = errors.New("not supported by the development provider")
)

// code is an issued authorization code.
type code struct {
	requestID string
	issued    time.Time
}

// token is an issued access token.
type token struct {
	id        string
	requestID string
	clientID  string
	subject   string
	scopes    []string
	expires   time.Time
}

// storage is the in-memory op.Storage of the provider. One mutex guards all
// maps; the provider serves a handful of developers or one test at a time.
type storage struct {
	key           *signingKey
	clients       map[string]*opClient
	users         []User // in the configured order, for the login page
	tokenLifetime time.Duration
	now           func() time.Time

	mu        sync.Mutex
	requests  map[string]*authRequest
	codes     map[string]code
	usedCodes map[string]string // redeemed code → its request ID, to detect replays
	tokens    map[string]*token
}

var _ op.Storage = (*storage)(nil)

func (s *storage) userBySubject(sub string) (User, bool) {
	for _, u := range s.users {
		if u.Subject == sub {
			return u, true
		}
	}
	return User{}, false
}

// checkLogin authenticates username and password and, on success, completes
// the authorization request id.
func (s *storage) checkLogin(id, username, password string) error {
	var user User
	found := false
	for _, u := range s.users {
		// Compare both in constant time so timing does not reveal which was wrong.
		nameOK := subtle.ConstantTimeCompare([]byte(u.Username), []byte(username)) == 1
		passOK := subtle.ConstantTimeCompare([]byte(u.Password), []byte(password)) == 1
		if nameOK && passOK {
			user, found = u, true
		}
	}
	if !found {
		return errCredentials
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	req, err := s.requestLocked(id)
	if err != nil {
		return err
	}
	req.subject = user.Subject
	req.authTime = s.now()
	req.done = true
	return nil
}

// requestLocked returns the live request id; s.mu must be held.
func (s *storage) requestLocked(id string) (*authRequest, error) {
	req, ok := s.requests[id]
	if !ok {
		return nil, errNotFound
	}
	if s.now().Sub(req.created) > authRequestLifetime {
		delete(s.requests, id)
		return nil, errExpired
	}
	return req, nil
}

// CreateAuthRequest stores a new authorization request. prompt=none cannot be
// honoured: the provider keeps no browser session.
func (s *storage) CreateAuthRequest(_ context.Context, r *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	for _, p := range r.Prompt {
		if p == oidc.PromptNone {
			return nil, oidc.ErrLoginRequired()
		}
	}
	req := newAuthRequest(rand.Text(), r, s.now())
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[req.id] = req
	return clone(req), nil
}

// clone copies a request so the op package never shares memory with storage.
func clone(r *authRequest) *authRequest { c := *r; return &c }

func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	req, err := s.requestLocked(id)
	if err != nil {
		return nil, err
	}
	return clone(req), nil
}

// AuthRequestByCode resolves a code. A code redeemed before is a replay: the
// tokens issued for it are revoked (RFC 6749, section 4.1.2) and it fails.
func (s *storage) AuthRequestByCode(_ context.Context, c string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if reqID, used := s.usedCodes[c]; used {
		for id, t := range s.tokens {
			if t.requestID == reqID {
				delete(s.tokens, id)
			}
		}
		return nil, errors.New("code already redeemed")
	}
	entry, ok := s.codes[c]
	if !ok {
		return nil, errNotFound
	}
	if s.now().Sub(entry.issued) > codeLifetime {
		delete(s.codes, c)
		return nil, errExpired
	}
	req, err := s.requestLocked(entry.requestID)
	if err != nil {
		return nil, err
	}
	return clone(req), nil
}

func (s *storage) SaveAuthCode(_ context.Context, id, c string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[c] = code{requestID: id, issued: s.now()}
	return nil
}

// DeleteAuthRequest is called once the code has been redeemed; its codes are
// remembered as used.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.requests, id)
	for c, entry := range s.codes {
		if entry.requestID == id {
			delete(s.codes, c)
			s.usedCodes[c] = id
		}
	}
	return nil
}

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) { return s.key, nil }

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.ES256}, nil
}

func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{s.key}}, nil
}

func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	c, ok := s.clients[id]
	if !ok {
		return nil, errNotFound
	}
	return c, nil
}

func (s *storage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	c, ok := s.clients[id]
	if !ok || subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
		return errors.New("invalid client credentials")
	}
	return nil
}

func (s *storage) Health(context.Context) error { return nil }
