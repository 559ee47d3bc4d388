package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sovereignty-registry/registry/internal/api"
	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/server"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
	"github.com/sovereignty-registry/registry/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// env is the API mounted the way the lead wires it (server.New with the
// shared middleware, the group at /api/v1, HandleError for /api/ paths),
// served over real HTTP, with every response checked against openapi.json.
type env struct {
	srv    *httptest.Server
	doc    *openapi3.T
	router routers.Router
	logs   *syncBuffer // what the API logged (not the access log)
}

// newEnv serves the API on a fresh copy of the seeded catalogue.
func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, catalog.NewService(storetest.Seeded(t)))
}

// newEnvWith serves the API on any Catalog, e.g. one that fails.
func newEnvWith(t *testing.T, cat api.Catalog) *env {
	t.Helper()
	e := &env{logs: &syncBuffer{}}
	e.doc, e.router = loadDoc(t)
	var handler http.Handler
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(e.srv.Close)
	a := api.New(cat, api.Options{Logger: slog.New(slog.NewJSONHandler(e.logs, nil)), BaseURL: e.srv.URL})
	ec := server.New(server.Options{
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		Registry: prometheus.NewRegistry(),
		Ready:    okPinger{},
		ErrorHandler: func(err error, c echo.Context) {
			if strings.HasPrefix(c.Request().URL.Path, "/api/") {
				a.HandleError(err, c)
				return
			}
			_ = c.NoContent(server.Status(err))
		},
	})
	a.Register(ec.Group("/api/v1"))
	handler = ec
	return e
}

type okPinger struct{}

func (okPinger) Ping(context.Context) error { return nil }

var (
	docOnce   sync.Once
	docBytes  []byte
	docErr    error
	docParsed *openapi3.T
)

// loadDoc parses and validates openapi.json once per test binary.
func loadDoc(t *testing.T) (*openapi3.T, routers.Router) {
	t.Helper()
	docOnce.Do(func() {
		docBytes, docErr = os.ReadFile("openapi.json")
		if docErr != nil {
			return
		}
		docParsed, docErr = openapi3.NewLoader().LoadFromData(docBytes)
		if docErr == nil {
			docErr = docParsed.Validate(context.Background())
		}
	})
	if docErr != nil {
		t.Fatalf("openapi.json: %v", docErr)
	}
	r, err := gorillamux.NewRouter(docParsed)
	if err != nil {
		t.Fatalf("openapi router: %v", err)
	}
	return docParsed, r
}

// response is a finished, validated exchange.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// decode unmarshals the body into v, failing the test on error.
func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %q: %v", r.Body, err)
	}
}

// problem is the test's view of a problem document.
type problem struct {
	Type, Title, Detail, Instance string
	Status                        int
	RequestID                     string `json:"request_id"`
	Errors                        []struct {
		Parameter, Pointer, Detail string
	}
}

// do sends a request to path (under the server root, or an absolute URL
// from a link) and validates the response against the OpenAPI document.
func (e *env) do(t *testing.T, method, path string, header ...string) response {
	t.Helper()
	url := path
	if !strings.HasPrefix(path, "http") {
		url = e.srv.URL + path
	}
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatalf("request %s %s: %v", method, path, err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	r := response{Status: res.StatusCode, Header: res.Header, Body: body}
	e.validate(t, req, r)
	return r
}

// get is do with GET.
func (e *env) get(t *testing.T, path string, header ...string) response {
	t.Helper()
	return e.do(t, http.MethodGet, path, header...)
}

// getOK gets path, insists on 200 and decodes the body into v.
func (e *env) getOK(t *testing.T, path string, v any) response {
	t.Helper()
	r := e.get(t, path)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: status %d, body %s", path, r.Status, r.Body)
	}
	r.decode(t, v)
	return r
}

// validate checks a response against the operation the document defines
// for its request; a request no operation covers (an unknown path or
// method) must still answer with a valid problem document.
func (e *env) validate(t *testing.T, req *http.Request, r response) {
	t.Helper()
	route, params, err := e.router.FindRoute(req)
	if err != nil {
		if !errors.Is(err, routers.ErrPathNotFound) && !errors.Is(err, routers.ErrMethodNotAllowed) {
			t.Fatalf("find route %s %s: %v", req.Method, req.URL, err)
		}
		e.validateProblem(t, r)
		return
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts},
		Status:                 r.Status,
		Header:                 r.Header,
		Options:                opts,
	}
	in.SetBodyBytes(r.Body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s → %d does not match openapi.json: %v\nbody: %.2000s", req.Method, req.URL, r.Status, err, r.Body)
	}
	if r.Status == http.StatusNotModified || req.Method == http.MethodHead || r.Status == http.StatusNoContent {
		if len(r.Body) != 0 {
			t.Errorf("%s %s → %d has a body: %q", req.Method, req.URL, r.Status, r.Body)
		}
	}
}

func (e *env) validateProblem(t *testing.T, r response) {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != api.MIMEProblemJSON {
		t.Errorf("status %d: content type %q, want %s", r.Status, ct, api.MIMEProblemJSON)
	}
	var v any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("problem is not JSON: %v: %q", err, r.Body)
	}
	if err := e.doc.Components.Schemas["Problem"].Value.VisitJSON(v); err != nil {
		t.Errorf("problem does not match the Problem schema: %v\nbody: %s", err, r.Body)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
