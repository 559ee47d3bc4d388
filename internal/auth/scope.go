package auth

// Scopes of personal API tokens: what a token may do, on top of what its
// holder's roles allow. The token page offers exactly these; the API
// checks them.
const (
	ScopeSubmissionsRead  = "submissions:read"
	ScopeSubmissionsWrite = "submissions:write"
)

// Scopes lists every token scope in the order the token page shows them.
func Scopes() []string { return []string{ScopeSubmissionsRead, ScopeSubmissionsWrite} }
