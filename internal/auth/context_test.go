package auth

import (
	"context"
	"testing"
)

func TestUserContext(t *testing.T) {
	t.Run("empty context is anonymous", func(t *testing.T) {
		u, ok := UserFrom(context.Background())
		if ok || !u.Anonymous() {
			t.Errorf("UserFrom(empty) = %+v, %v; want anonymous, false", u, ok)
		}
	})
	t.Run("round trip", func(t *testing.T) {
		ctx := WithUser(context.Background(), reviewer)
		u, ok := UserFrom(ctx)
		if !ok || u.Issuer != reviewer.Issuer || u.Subject != reviewer.Subject || !u.HasRole(RoleReviewer) {
			t.Errorf("UserFrom = %+v, %v; want %+v", u, ok, reviewer)
		}
	})
	t.Run("a plain string key does not collide", func(t *testing.T) {
		//lint:ignore SA1029 deliberately tests a colliding-looking key
		ctx := context.WithValue(context.Background(), "user", reviewer) //nolint:staticcheck
		if _, ok := UserFrom(ctx); ok {
			t.Error("UserFrom found a user under a foreign key")
		}
	})
}
