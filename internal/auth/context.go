package auth

import "context"

// userKey is the unexported context key type, so no other package can collide
// with or forge the value.
type userKey struct{}

// WithUser returns a copy of ctx that carries the signed-in user u.
func WithUser(ctx context.Context, u User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFrom returns the user carried by ctx and whether there is one. Without a
// user it returns the zero (anonymous) User and false.
func UserFrom(ctx context.Context) (User, bool) {
	u, ok := ctx.Value(userKey{}).(User)
	return u, ok
}
