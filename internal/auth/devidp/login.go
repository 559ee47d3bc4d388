package devidp

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
)

// loginPage asks for username and password of one of the configured accounts
// and lists them, passwords included: this provider exists for development.
type loginPage struct {
	storage     *storage
	callbackURL string // the provider's authorize callback, completed with ?id=
}

// loginData is what the login template renders.
type loginData struct {
	RequestID string
	Username  string
	Error     string
	Users     []User
}

var loginTemplate = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in – development provider</title></head>
<body>
<main>
<h1>Sign in</h1>
<p><strong>Development OpenID provider.</strong> Never used in production.</p>
{{if .Error}}<p role="alert" id="login-error">{{.Error}}</p>{{end}}
<form method="post" action="login">
<input type="hidden" name="authRequestID" value="{{.RequestID}}">
<p><label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required value="{{.Username}}"></p>
<p><label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Sign in</button></p>
</form>
<h2>Demo accounts</h2>
<table>
<thead><tr><th scope="col">Username</th><th scope="col">Password</th><th scope="col">Name</th><th scope="col">Groups</th><th scope="col">Organisations</th></tr></thead>
<tbody>
{{range .Users}}<tr><td>{{.Username}}</td><td>{{.Password}}</td><td>{{.Name}}</td><td>{{range $i, $g := .Groups}}{{if $i}}, {{end}}{{$g}}{{end}}</td><td>{{range $i, $o := .Organizations}}{{if $i}}, {{end}}{{$o}}{{end}}</td></tr>
{{end}}</tbody>
</table>
</main>
</body>
</html>
`))

func (p *loginPage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		id := r.URL.Query().Get("authRequestID")
		if !p.known(r, id) {
			http.Error(w, "unknown or expired login request", http.StatusBadRequest)
			return
		}
		p.render(w, http.StatusOK, loginData{RequestID: id})
	case http.MethodPost:
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		id, name := r.PostForm.Get("authRequestID"), r.PostForm.Get("username")
		err := p.storage.checkLogin(id, name, r.PostForm.Get("password"))
		switch {
		case errors.Is(err, errCredentials):
			p.render(w, http.StatusUnauthorized, loginData{RequestID: id, Username: name, Error: "Wrong username or password."})
		case err != nil:
			http.Error(w, "unknown or expired login request", http.StatusBadRequest)
		default:
			// Hand back to pkg/op, which issues the code and redirects to the client.
			http.Redirect(w, r, p.callbackURL+"?"+url.Values{"id": {id}}.Encode(), http.StatusFound)
		}
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (p *loginPage) known(r *http.Request, id string) bool {
	if id == "" {
		return false
	}
	_, err := p.storage.AuthRequestByID(r.Context(), id)
	return err == nil
}

func (p *loginPage) render(w http.ResponseWriter, status int, d loginData) {
	d.Users = p.storage.users
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	w.WriteHeader(status)
	_ = loginTemplate.Execute(w, d)
}

// loggedOut is where end_session lands without a registered post-logout URI.
func loggedOut(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("Signed out of the development provider.\n"))
}
