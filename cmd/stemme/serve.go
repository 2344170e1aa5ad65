package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/web"
)

// shutdownTimeout bounds how long requests in flight may take after SIGTERM.
const shutdownTimeout = 20 * time.Second

func runServe(ctx context.Context, args []string, out io.Writer) error {
	cfg, err := loadConfig("serve", args, out, nil)
	if err != nil {
		return err
	}
	return serve(ctx, cfg, out, serveHooks{})
}

// serveHooks let tests see when the server is up and add routes of their own.
type serveHooks struct {
	ready  func(addr string)
	routes func(*fiber.App)
	// admin learns the admin listener's address, when there is one.
	admin func(addr string)
}

// serve runs until SIGINT or SIGTERM, then stops accepting connections,
// lets requests in flight finish (up to shutdownTimeout) and closes the store.
func serve(ctx context.Context, cfg config, out io.Writer, hooks serveHooks) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := newLogger()

	// Listen before starting the store, so a busy port fails at once.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %v (set STEMME_ADDR or --addr)", cfg.Addr, errors.Unwrap(errors.Unwrap(err)))
	}
	defer ln.Close()
	var adminLn net.Listener
	if cfg.AdminAddr != "" {
		if adminLn, err = net.Listen("tcp", cfg.AdminAddr); err != nil {
			return fmt.Errorf("cannot listen on %s: %v (set STEMME_ADMIN_ADDR or --admin-addr)", cfg.AdminAddr, errors.Unwrap(errors.Unwrap(err)))
		}
		defer adminLn.Close()
	}

	st, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = st.Close(closeCtx)
	}()
	secret, err := cfg.secret()
	if err != nil {
		return err
	}
	if err := bootstrap(ctx, cfg, st, out); err != nil {
		return err
	}
	// Contact data past its retention goes at start-up, before the first
	// request, and then daily.
	purgeLogged(ctx, st, secret, cfg.retention, logger)
	purgeCtx, stopPurge := context.WithCancel(ctx)
	purged := make(chan struct{})
	go func() { defer close(purged); purgeDaily(purgeCtx, st, secret, cfg.retention, logger) }()
	defer func() { stopPurge(); <-purged }()
	tallier := newTallier(st)
	stopTallier := tallier.Start()
	defer stopTallier()
	box, channels, stopMessaging, err := startMessaging(cfg, st, secret, logger)
	if err != nil {
		return err
	}
	defer stopMessaging()
	// The embedded store's data directory is locked to this process.
	srv, err := web.NewServer(web.Config{Store: st, Logger: logger, BaseURL: cfg.BaseURL, Secret: secret, Tallier: tallier, SoleWriter: st.Embedded,
		MetricsToken: cfg.MetricsToken, Require2FA: cfg.require2FA,
		TrustedProxies: cfg.proxies(), Sessions: cfg.sessions, ContactRetention: cfg.retention,
		Outbox: box, Channels: channels, OrgName: cfg.OrgName,
		OrgContactEmail: cfg.OrgContactEmail, OrgContactPhone: cfg.OrgContactPhone})
	if err != nil {
		return err
	}
	app := srv.App
	if hooks.routes != nil {
		hooks.routes(app)
	}
	served := make(chan error, 2)
	go func() { served <- app.Listener(ln) }()
	if adminLn != nil {
		go func() { served <- srv.Admin.Listener(adminLn) }()
		defer func() { _ = srv.Admin.ShutdownWithTimeout(5 * time.Second) }()
		logger.Info("admin listener", slog.String("addr", adminLn.Addr().String()))
		if hooks.admin != nil {
			hooks.admin(adminLn.Addr().String())
		}
	}
	logger.Info("listening", slog.String("url", cfg.BaseURL), slog.Bool("embedded_store", st.Embedded))
	fmt.Fprintf(out, "Stemme is running on %s (press Ctrl+C to stop)\n", cfg.BaseURL)
	if hooks.ready != nil {
		hooks.ready(ln.Addr().String())
	}
	select {
	case err := <-served:
		return fmt.Errorf("server stopped: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down", slog.Duration("timeout", shutdownTimeout))
	if err := app.ShutdownWithTimeout(shutdownTimeout); err != nil {
		logger.Warn("shutdown timed out; requests still running were cut off", slog.String("error", err.Error()))
	}
	return nil
}

// openStore opens the configured store, ensures its indexes and brings
// what it stores to the current formats (migrations, docs/STORAGE.md).
func openStore(ctx context.Context, cfg config, logger *slog.Logger) (*store.Store, error) {
	openCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	st, err := store.Open(openCtx, store.Config{URI: cfg.MongoURI, DataDir: cfg.DataDir, Database: cfg.Database, Logger: logger})
	if err != nil {
		return nil, err
	}
	err = ensureIndexes(openCtx, st)
	if err == nil {
		// Not bounded like the opening: a migration of many answers
		// takes a while, once.
		err = st.Migrate(ctx, logger, migrations()...)
	}
	if err != nil {
		_ = st.Close(context.Background())
		return nil, err
	}
	return st, nil
}

func newLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
