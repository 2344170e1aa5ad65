// Command ferretserve runs FerretDB v1 (SQLite backend, the engine that
// stemme embeds) as a server of its own, with authentication, so that CI can
// run the store-facing tests a second time through MONGODB_URI: over TCP,
// with SCRAM credentials, majority write concern and the driver's
// reconnects, as a MongoDB deployment is reached (.ci/run, second leg).
//
// It lives under internal/cmd rather than as a stemme subcommand because it
// is a CI tool, not something an operator should run: production uses
// MongoDB through MONGODB_URI or the embedded store.
//
// FerretDB's embeddable package (github.com/FerretDB/FerretDB/ferretdb)
// cannot enable authentication: in v1.24.2 SCRAM users exist only behind
// the experimental "new authentication" flag of FerretDB's own command
// (--test-enable-new-auth, with --setup-database/--setup-username to create
// the first user). So this program supervises that command, built from the
// same module version that stemme embeds (go.mod's tool line), and adds
// what CI needs around it: one set of SQLite settings shared with the
// embedded store, a readiness check that logs in with the credentials AND
// sees an unauthenticated client refused (so a leg that claims
// authentication proves it), a single "ready" line, and a clean stop on
// SIGTERM or SIGINT.
//
// Usage:
//
//	FERRETSERVE_PASSWORD=secret ferretserve -ferretdb PATH -addr 127.0.0.1:27018 -dir DIR -user stemme -replset rs0
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
)

// authDB is where the user is created: the MongoDB convention, so the URI
// says authSource=admin as it would for a MongoDB deployment.
const authDB = "admin"

// unauthorized is the server's error code for a command without a login.
const unauthorized = 13

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "ferretserve:", err)
		os.Exit(1)
	}
}

func run() error {
	ferret := flag.String("ferretdb", "", "path of FerretDB's command (go build github.com/FerretDB/FerretDB/cmd/ferretdb)")
	addr := flag.String("addr", "127.0.0.1:27018", "TCP address to listen on")
	dir := flag.String("dir", "", "data directory (SQLite files and FerretDB's state)")
	user := flag.String("user", "", "user to create; empty runs without authentication")
	replSet := flag.String("replset", "", "replica set name to report, so clients connect with replicaSet= as to MongoDB")
	wait := flag.Duration("wait", time.Minute, "how long to wait for the server to answer")
	flag.Parse()
	password := os.Getenv("FERRETSERVE_PASSWORD")
	switch {
	case *ferret == "" || *dir == "":
		return errors.New("-ferretdb and -dir are required")
	case *user != "" && password == "":
		return errors.New("-user needs FERRETSERVE_PASSWORD")
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return fmt.Errorf("-addr: %w", err)
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		return err
	}
	dbDir := filepath.Join(abs, "db")
	if err := os.MkdirAll(dbDir, 0o700); err != nil {
		return err
	}

	cmd := exec.Command(*ferret, args(*addr, abs, dbDir, *user, *replSet)...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	// The password goes through the environment (kong reads FERRETDB_*),
	// not the command line, which every user of the machine can read.
	cmd.Env = append(os.Environ(), "FERRETDB_SETUP_PASSWORD="+password)
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)

	ready := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), *wait)
		defer cancel()
		ready <- awaitReady(ctx, *addr, *user, password)
	}()

	for {
		select {
		case err := <-ready:
			if err != nil {
				_ = cmd.Process.Signal(syscall.SIGTERM)
				<-exited
				return err
			}
			fmt.Println("ready")
		case err := <-exited:
			return fmt.Errorf("FerretDB stopped: %v", err)
		case s := <-sig:
			_ = cmd.Process.Signal(s)
			select {
			case <-exited:
			case <-time.After(30 * time.Second):
				_ = cmd.Process.Kill()
				<-exited
				return errors.New("FerretDB did not stop within 30 s of " + s.String())
			}
			return nil
		}
	}
}

// args are FerretDB's flags: the SQLite backend with the embedded store's
// settings (store/store.go), no telemetry and no debug listener.
func args(addr, stateDir, dbDir, user, replSet string) []string {
	sqlite := &url.URL{Scheme: "file", Path: dbDir + "/",
		RawQuery: "_pragma=synchronous(full)&_pragma=secure_delete(on)&_pragma=journal_size_limit(0)"}
	a := []string{
		"--handler=sqlite",
		"--sqlite-url=" + sqlite.String(),
		"--listen-addr=" + addr,
		"--state-dir=" + stateDir,
		"--debug-addr=-",
		"--telemetry=disable",
		// FerretDB logs every error reply at WARN (a duplicate key, a
		// refused login): the tests provoke those on purpose.
		"--log-level=error",
	}
	if replSet != "" {
		// FerretDB then names the set and itself as its one member in
		// hello, and the driver discovers it as it would a MongoDB primary.
		a = append(a, "--repl-set-name="+replSet)
	}
	if user != "" {
		a = append(a, "--test-enable-new-auth",
			"--setup-database="+authDB, "--setup-username="+user)
	}
	return a
}

// awaitReady polls until the server answers an authenticated command and,
// with a user, refuses the same command from a client without credentials.
func awaitReady(ctx context.Context, addr, user, password string) error {
	uri := "mongodb://" + addr + "/"
	var opts = options.Client().ApplyURI(uri).SetServerSelectionTimeout(time.Second)
	if user != "" {
		opts.SetAuth(options.Credential{Username: user, Password: password, AuthSource: authDB})
	}
	var last error
	for ctx.Err() == nil {
		if last = probe(ctx, opts); last == nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if last != nil || ctx.Err() != nil {
		return fmt.Errorf("no answer from %s: %v", addr, errors.Join(last, ctx.Err()))
	}
	if user == "" {
		return nil
	}
	err := probe(ctx, options.Client().ApplyURI(uri).SetServerSelectionTimeout(5*time.Second))
	if ce := (mongo.CommandError{}); errors.As(err, &ce) && ce.Code == unauthorized {
		return nil
	}
	return fmt.Errorf("a client without credentials was not refused (%v): authentication is not enforced", err)
}

// probe connects and lists the databases, a command that needs a login
// when authentication is on (ping does not).
func probe(ctx context.Context, opts *options.ClientOptions) error {
	client, err := mongo.Connect(opts)
	if err != nil {
		return err
	}
	defer func() { _ = client.Disconnect(context.Background()) }()
	if err := client.Ping(ctx, readpref.Primary()); err != nil {
		return err
	}
	_, err = client.ListDatabaseNames(ctx, bson.D{})
	return err
}
