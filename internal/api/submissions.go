package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

// Editorial is the editorial workflow the submission endpoints run on
// (*workflow.Service): the same service, rules and states as the forms.
type Editorial interface {
	Create(ctx context.Context, a workflow.Actor, kind workflow.Kind, p catalog.Proposal) (workflow.Submission, error)
	Edit(ctx context.Context, a workflow.Actor, id int64, version int, p catalog.Proposal) (workflow.Submission, error)
	Act(ctx context.Context, a workflow.Actor, id int64, version int, action workflow.Action) (workflow.Submission, error)
	View(ctx context.Context, a workflow.Actor, id int64) (workflow.Detail, error)
	Dashboard(ctx context.Context, a workflow.Actor) ([]workflow.Submission, error)
}

// listSubmissions answers GET /submissions: the proposals of the token
// holder's organisations.
func (a *API) listSubmissions(c echo.Context) error {
	if _, err := queryValues(c, nil); err != nil {
		return err
	}
	subs, err := a.ed.Dashboard(c.Request().Context(), actorOf(c))
	if err != nil {
		return fmt.Errorf("list submissions: %w", err)
	}
	data := make([]submissionSummaryDTO, len(subs))
	for i, s := range subs {
		data[i] = a.toSubmissionSummary(s)
	}
	m := newMeta()
	total := len(data)
	m.Total = &total
	return sendPrivate(c, http.StatusOK, document{Data: data, Links: selfLink{a.link("/submissions")}, Meta: m})
}

// showSubmission answers GET /submissions/{id}.
func (a *API) showSubmission(c echo.Context) error {
	if _, err := queryValues(c, nil); err != nil {
		return err
	}
	id, err := submissionID(c)
	if err != nil {
		return err
	}
	return a.answerSubmission(c, http.StatusOK, id)
}

// createSubmission answers POST /submissions: a draft, proposed for review
// at once when the body says submit. When the draft is saved but cannot be
// submitted (it is incomplete), the draft stays, Location names it, and
// the problems say what to fix with PATCH, as the form keeps a draft.
func (a *API) createSubmission(c echo.Context) error {
	var in createSubmissionDTO
	if err := readJSON(c, &in); err != nil {
		return err
	}
	var d decoder
	kind := workflow.Kind(in.Kind)
	if !kind.Valid() {
		d.add("kind", "error.enum", `the kind is "new" (a new product) or "change" (to a published one)`)
	}
	var p catalog.Proposal
	if in.Product == nil {
		d.add("product", "error.required", "a proposal needs a product")
	} else {
		p.Product = d.product("product", *in.Product)
	}
	p.Sources = d.sources("sources", in.Sources)
	if err := d.err(); err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), actorOf(c)
	sub, err := a.ed.Create(ctx, actor, kind, p)
	if err != nil {
		return fmt.Errorf("create submission: %w", withRequestPaths(err))
	}
	location := a.link("/submissions/" + strconv.FormatInt(sub.ID, 10))
	c.Response().Header().Set(echo.HeaderLocation, location)
	if in.Submit {
		if _, err := a.ed.Act(ctx, actor, sub.ID, sub.Version, workflow.ActionSubmit); err != nil {
			return fmt.Errorf("submit submission %d: %w", sub.ID, draftKept(sub.ID, withRequestPaths(err)))
		}
	}
	return a.answerSubmission(c, http.StatusCreated, sub.ID)
}

// updateSubmission answers PATCH /submissions/{id}: a new proposal
// (product, sources or both; what is left out stays) and then an action,
// each at the version the client read. An edit is kept when the action
// that follows it fails.
func (a *API) updateSubmission(c echo.Context) error {
	id, err := submissionID(c)
	if err != nil {
		return err
	}
	var in patchSubmissionDTO
	if err := readJSON(c, &in); err != nil {
		return err
	}
	var d decoder
	if in.Version == nil {
		d.add("version", "error.required", "the version of the submission the change is based on is required")
	}
	var action workflow.Action
	if in.Action != nil {
		action = workflow.Action(*in.Action)
		if !knownAction(action) {
			d.add("action", "error.enum", `the action is "submit", "resubmit" or "withdraw"`)
		}
	}
	if in.Product == nil && in.Sources == nil && in.Action == nil {
		d.add("", "error.required", "nothing to change: send product, sources or action")
	}
	var product catalog.Product
	var sources []catalog.Source
	if in.Product != nil {
		product = d.product("product", *in.Product)
	}
	if in.Sources != nil {
		sources = d.sources("sources", *in.Sources)
	}
	if err := d.err(); err != nil {
		return err
	}
	if in.Action != nil && !vendorAction(action) {
		return fmt.Errorf("%w: the API takes a vendor's actions only (submit, resubmit, withdraw); reviews happen on the site", workflow.ErrForbidden)
	}
	ctx, actor := c.Request().Context(), actorOf(c)
	version := *in.Version
	if in.Product != nil || in.Sources != nil {
		cur, err := a.ed.View(ctx, actor, id)
		if err != nil {
			return fmt.Errorf("update submission %d: %w", id, err)
		}
		p := catalog.Proposal{Product: cur.Submission.Proposed, Sources: cur.Submission.Sources}
		if in.Product != nil {
			p.Product = product
		}
		if in.Sources != nil {
			p.Sources = sources
		}
		sub, err := a.ed.Edit(ctx, actor, id, version, p)
		if err != nil {
			return fmt.Errorf("edit submission %d: %w", id, withRequestPaths(err))
		}
		version = sub.Version
	}
	if in.Action != nil {
		if _, err := a.ed.Act(ctx, actor, id, version, action); err != nil {
			return fmt.Errorf("%s submission %d: %w", action, id, withRequestPaths(err))
		}
	}
	return a.answerSubmission(c, http.StatusOK, id)
}

// answerSubmission sends submission id as the token holder now sees it.
func (a *API) answerSubmission(c echo.Context, status int, id int64) error {
	d, err := a.ed.View(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return fmt.Errorf("show submission %d: %w", id, err)
	}
	s := a.toSubmission(d)
	return sendPrivate(c, status, document{Data: s, Links: s.Links, Meta: newMeta()})
}

// knownAction reports whether action is a step of the workflow at all; a
// known step the API does not take is forbidden, not malformed.
func knownAction(action workflow.Action) bool {
	for _, t := range workflow.Transitions {
		if t.Action == action {
			return true
		}
	}
	return false
}

// submissionID parses the {id} of the path; anything but a positive
// number names nothing.
func submissionID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("submission %q: %w", c.Param("id"), catalog.ErrNotFound)
	}
	return id, nil
}

// sendPrivate writes v as JSON for the token holder alone: no shared cache
// may keep it.
func sendPrivate(c echo.Context, status int, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(status, echo.MIMEApplicationJSON, buf.Bytes())
}

// readJSON decodes the request body into v strictly: JSON only, one value,
// no unknown fields, so that a misspelt field fails instead of being lost.
func readJSON(c echo.Context, v any) error {
	if ct := c.Request().Header.Get(echo.HeaderContentType); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != echo.MIMEApplicationJSON && !strings.HasSuffix(mt, "+json")) {
			return echo.NewHTTPError(http.StatusUnsupportedMediaType, "The body must be JSON (Content-Type: application/json).")
		}
	}
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bodyError(err)
	}
	if err := dec.Decode(&json.RawMessage{}); !errors.Is(err, io.EOF) {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return fmt.Errorf("read body: %w", err)
		}
		return invalidBody("", "the body must hold exactly one JSON object")
	}
	return nil
}

// bodyError explains why the body could not be decoded; a body over the
// size limit stays that error, which the server answers with 413.
func bodyError(err error) error {
	var (
		mb     *http.MaxBytesError
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &mb):
		return fmt.Errorf("read body: %w", err)
	case errors.Is(err, io.EOF):
		return invalidBody("", "the body is empty: send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalidBody("", "the body ends in the middle of a JSON value")
	case errors.As(err, &syntax):
		return invalidBody("", fmt.Sprintf("the body is not valid JSON (at byte %d): %s", syntax.Offset, strings.TrimPrefix(syntax.Error(), "json: ")))
	case errors.As(err, &typ):
		if typ.Field == "" {
			return invalidBody("", "the body must be a JSON object")
		}
		return invalidBody(typ.Field, fmt.Sprintf("expected %s, got %s", jsonKind(typ.Type), typ.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return invalidBody("", strings.TrimPrefix(err.Error(), "json: ")+" (see the OpenAPI document for the fields)")
	}
	return invalidBody("", "the body is not valid JSON")
}

// jsonKind names what JSON value a Go type is decoded from, for clients
// that do not know the Go names.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

func invalidBody(path, msg string) error {
	return &catalog.ValidationError{Problems: []catalog.Problem{{Path: path, Key: "error.json", Message: msg}}}
}

// draftKept adds to a failed submission's problems that its draft was
// saved, so the client fixes it rather than posting another.
func draftKept(id int64, err error) error {
	var ve *catalog.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	out := &catalog.ValidationError{Problems: append([]catalog.Problem{}, ve.Problems...)}
	out.Problems = append(out.Problems, catalog.Problem{Key: "error.draft_kept",
		Message: fmt.Sprintf("the proposal was saved as draft submission %d (see Location): correct it with PATCH and submit it then", id)})
	return out
}
