package store_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/store/storetest"
)

// remoteWithPassword returns MONGODB_URI parsed, or skips unless it names a
// user with a password (CI's second leg, .ci/remote-store, does).
func remoteWithPassword(t *testing.T) *url.URL {
	t.Helper()
	raw := os.Getenv("MONGODB_URI")
	u, err := url.Parse(raw)
	if raw == "" || err != nil || u.User == nil {
		t.Skip("needs MONGODB_URI with a user and password (CI's second leg)")
	}
	if _, ok := u.User.Password(); !ok {
		t.Skip("needs MONGODB_URI with a password")
	}
	return u
}

// The leg that claims authentication must prove it: a wrong password is
// refused at Open, with a message that names the cause and not the password.
func TestRemoteRefusesAWrongPassword(t *testing.T) {
	u := remoteWithPassword(t)
	const wrong = "not-the-password-7f3a"
	u.User = url.UserPassword(u.User.Username(), wrong)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := store.Open(ctx, store.Config{URI: u.String(), Database: storetest.NewName()})
	if err == nil {
		_ = s.Close(ctx)
		t.Fatal("a wrong password was accepted")
	}
	msg := err.Error()
	t.Log(msg)
	if !strings.Contains(msg, "refused the user and password in MONGODB_URI") {
		t.Errorf("error %q should say the login in MONGODB_URI was refused", msg)
	}
	if strings.Contains(msg, wrong) {
		t.Errorf("error leaks the password: %q", msg)
	}
}

// Without credentials the server answers a ping (as MongoDB does) but
// serves no data: the store's data is reached only through a login.
func TestRemoteServesNoDataWithoutALogin(t *testing.T) {
	u := remoteWithPassword(t)
	u.User = nil
	q := u.Query()
	q.Del("authSource")
	q.Del("authMechanism")
	u.RawQuery = q.Encode()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	anon, err := store.Open(ctx, store.Config{URI: u.String(), Database: storetest.NewName()})
	if err != nil {
		t.Fatalf("ping without a login: %v", err)
	}
	defer func() { _ = anon.Close(ctx) }()
	db := storetest.DB(t)
	if _, err := db.Collection("c").InsertOne(ctx, bson.M{"_id": "secret"}); err != nil {
		t.Fatal(err)
	}
	err = anon.Client.Database(db.Name()).Collection("c").FindOne(ctx, bson.M{}).Err()
	if ce := (mongo.CommandError{}); !errors.As(err, &ce) || ce.Code != 13 {
		t.Fatalf("read without a login: err %v, want Unauthorized (13)", err)
	}
}
