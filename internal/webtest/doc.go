// Package webtest runs the web app on a fresh embedded store for tests:
// the fixtures, staff sign-in and seeded data that the web package's HTTP
// tests and its browser tests (web/browser) share. It lives under internal/
// because it is not API: production code must never import it.
package webtest
