// Package web is the Fiber application: routes, thin handlers, templates and
// static files embedded in the binary.
package web

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/arenas"
	"github.com/stemme/stemme/branding"
	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/notify"
	"github.com/stemme/stemme/ops"
	"github.com/stemme/stemme/outbox"
	"github.com/stemme/stemme/respond"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// Config is what the web application needs from its caller.
type Config struct {
	Store   *store.Store
	Logger  *slog.Logger
	BaseURL string
	// Secret signs forms; at least 32 bytes.
	Secret []byte
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sessions are the staff session lifetimes; zero means staff.DefaultLifetimes.
	Sessions staff.Lifetimes
	// SoleWriter says that no other process writes to the store while this
	// one runs, as with the embedded store, whose data directory the
	// process holds locked: answers are then checked against their wave's
	// status and withdrawals in memory instead of by reading the store
	// around each insert (surveys.DeclareSoleWriter). Never set it for a
	// MongoDB that several instances share.
	SoleWriter bool
	// TrustedProxies are the addresses of reverse proxies whose
	// X-Forwarded-For is believed, so rate limits see the real client.
	TrustedProxies []string
	// MetricsToken lets a scraper read /metrics on the public listener with
	// "Authorization: Bearer TOKEN"; without it only the admin listener
	// (Server.Admin, loopback only) serves metrics.
	MetricsToken string
	// Login tunes login throttling; zero means staff.DefaultLoginPolicy.
	Login staff.LoginPolicy
	// Require2FA makes a second factor mandatory for admins and advisors:
	// they must set one up before any other staff page opens.
	Require2FA bool
	// Tallier counts accepted answers; nil means the app starts its own and
	// stops it when the app shuts down. There must be one per process.
	Tallier *analysis.Tallier
	// ContactRetention is how long contact data is kept after a case is
	// closed; zero means feedback.DefaultRetention.
	ContactRetention time.Duration
	// Outbox holds e-mail and SMS until they are sent; nil means one on
	// the store that nothing sends (messages wait and are listed).
	Outbox *outbox.Outbox
	// Channels says which outbox channels have a transport configured.
	Channels map[string]bool
	// OrgName is the municipality's name, shown on every page beside its
	// logo (STEMME_ORG_NAME); empty shows the product's name alone.
	OrgName string
	// OrgContactEmail and OrgContactPhone are where relatives report a
	// problem with the pages (STEMME_ORG_CONTACT_EMAIL, _PHONE), shown on
	// the accessibility statement; empty, it sends them to the municipality
	// in general and to Uutilsynet.
	OrgContactEmail, OrgContactPhone string
	// SessionWarning is how long before the idle limit staff pages warn
	// that the session is about to end; zero means two minutes, or half the
	// idle limit when that is shorter.
	SessionWarning time.Duration
}

// handler holds what every handler needs.
type handler struct {
	cfg Config
	// formMACs are HMACs keyed with the secret for formSignature, kept
	// so that every page signed and every post checked do not key one anew.
	formMACs sync.Pool
	surveys  *surveys.Store
	staff    *staff.Store
	tallier  *analysis.Tallier
	// respond stores and withdraws relatives' answers (submit, withdrawSubmit).
	respond *respond.Service
	metrics *metrics
	// freshForms caches rendered thank-you pages; blanks the blank survey
	// forms, cut at the submission id and signature.
	freshForms freshFormCache
	blanks     renderCache[*skeleton]
	// skeletons cache the pages of forms, cut where a relative's values go.
	skeletons renderCache[*skeleton]
	views     *views
	tr        *translator
	https     bool
	cache     surveyCache
	// results is the one results service: every page, the API and every
	// export read results through it, as the reader they serve.
	results *analysis.Service
	// journeys keep each relative's form between two pages.
	journeys *surveys.Journeys

	// feedback holds feedback and the encrypted contact requests.
	feedback *feedback.Store
	// review is the free-text review over survey text and feedback.
	review *analysis.Reviewer
	// actions and council hold improvement actions and the relatives' council.
	actions *actions.Store
	council *council.Store
	// proxies are the trusted reverse proxies, for clientIP.
	proxies proxies
	// outbox queues messages; notify decides who is told what.
	outbox *outbox.Outbox
	notify *notify.Notifier
	// arenas are the ways to take part shown on /delta, with sign-ups.
	arenas *arenas.Store
	// branding holds the municipality's logo; logos caches it for pages.
	branding *branding.Store
	logos    logoCache
	// unsent keeps forms sent after a session ended, for their user.
	unsent *staff.UnsentForms
	// ops are the staff's operations, each writing its audit entry first.
	ops operations
}

// operations are the staff's operations by area (package ops).
type operations struct {
	Council     *ops.Council
	Actions     *ops.Actions
	Arenas      *ops.Arenas
	Branding    *ops.Branding
	Results     *ops.Results
	TwoFactor   *ops.TwoFactor
	Users       *ops.Users
	Tokens      *ops.Tokens
	Waves       *ops.Waves
	Units       *ops.Units
	Invitations *ops.Invitations
	Plan        *ops.Plan
	Instruments *ops.Instruments
	FollowUp    *ops.FollowUp
	Review      *ops.Review
}

// Limits on a request. A request line and headers must fit in readBuffer:
// 8 KB, as RFC 9112 recommends at least and common proxies allow; more is
// answered 431 with a translated page, a body over bodyLimit 413.
const (
	bodyLimit      = 256 << 10
	readBuffer     = 8 << 10
	requestTimeout = 30 * time.Second
)

// Server is the application and its admin listener's application, which
// serves only /metrics, /healthz and /readyz and is meant for a loopback address.
type Server struct {
	App   *fiber.App
	Admin *fiber.App
}

// New builds the application with every route registered.
func New(cfg Config) (*fiber.App, error) {
	s, err := NewServer(cfg)
	if err != nil {
		return nil, err
	}
	return s.App, nil
}

// NewServer builds the application and its admin application.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Sessions == (staff.Lifetimes{}) {
		cfg.Sessions = staff.DefaultLifetimes
	}
	if len(cfg.Secret) < 32 {
		return nil, errors.New("web: secret must be at least 32 bytes")
	}
	if cfg.ContactRetention == 0 {
		cfg.ContactRetention = feedback.DefaultRetention
	}
	fb, err := feedback.NewStore(cfg.Store.DB, cfg.Secret)
	if err != nil {
		return nil, err
	}
	fb.Now = cfg.Now
	v, err := loadViews()
	if err != nil {
		return nil, err
	}
	tr, err := newTranslator()
	if err != nil {
		return nil, err
	}
	people, err := staff.NewStore(cfg.Store.DB).WithSecret(cfg.Secret)
	if err != nil {
		return nil, err
	}
	if cfg.SoleWriter {
		surveys.DeclareSoleWriter(cfg.Store.DB)
	}
	h := &handler{cfg: cfg, surveys: surveys.NewStore(cfg.Store.DB), staff: people.WithLoginPolicy(cfg.Login), views: v, tr: tr,
		https: strings.HasPrefix(cfg.BaseURL, "https://"), tallier: cfg.Tallier, feedback: fb,
		actions: actions.NewStore(cfg.Store.DB), council: council.NewStore(cfg.Store.DB),
		proxies: parseProxies(cfg.TrustedProxies)}
	// A skeleton per link, language, page and shape: more than blank forms.
	h.skeletons.limit = 4 * freshFormEntries
	if cfg.Outbox == nil {
		if cfg.Outbox, err = outbox.New(cfg.Store.DB, cfg.Secret); err != nil {
			return nil, err
		}
	}
	h.outbox = cfg.Outbox
	h.cfg.Outbox = cfg.Outbox
	if h.notify, err = notify.New(cfg.Store.DB, cfg.Outbox, cfg.Secret, cfg.BaseURL); err != nil {
		return nil, err
	}
	if h.arenas, err = arenas.NewStore(cfg.Store.DB, cfg.Secret); err != nil {
		return nil, err
	}
	h.surveys.AfterInsert = func(waves []string) { afterSave(waves) }
	h.journeys = surveys.NewJourneys(cfg.Store.DB, cfg.Secret)
	h.journeys.Now = cfg.Now
	h.branding = branding.NewStore(cfg.Store.DB)
	if h.unsent, err = staff.NewUnsentForms(cfg.Store.DB, cfg.Secret); err != nil {
		return nil, err
	}
	h.metrics = newMetrics(h.surveys)
	h.surveys.SetSecret(cfg.Secret)
	h.review = analysis.NewReviewer(cfg.Store.DB, fb)
	h.results = analysis.NewService(cfg.Store.DB)
	app := fiber.New(fiber.Config{
		AppName:               "stemme",
		DisableStartupMessage: true,
		BodyLimit:             bodyLimit,
		ReadBufferSize:        readBuffer,

		ReadTimeout:  requestTimeout,
		WriteTimeout: requestTimeout,
		IdleTimeout:  2 * time.Minute,
		ErrorHandler: h.renderError,
		// Form values and paths are read once per request and copied where kept.
		Immutable: true,
		// Behind a reverse proxy, believe X-Forwarded-For only from the proxies named.
		EnableTrustedProxyCheck: len(cfg.TrustedProxies) > 0,
		TrustedProxies:          cfg.TrustedProxies,
		ProxyHeader:             proxyHeader(cfg.TrustedProxies),
	})
	h.routes(app)
	stopGroup := h.surveys.StartGroupCommit()
	app.Hooks().OnShutdown(func() error { stopGroup(); return nil })
	stopCloser := h.closeDueWaves()
	app.Hooks().OnShutdown(func() error { stopCloser(); return nil })
	stopJourneys := h.journeys.StartWriter(func(err error) {
		h.cfg.Logger.Warn("journeys not written", slog.String("error", err.Error()))
	})
	app.Hooks().OnShutdown(func() error { stopJourneys(); return nil })
	stopJanitor := h.startJanitor()
	app.Hooks().OnShutdown(func() error { stopJanitor(); return nil })
	if h.tallier == nil {
		h.tallier = analysis.NewTallier(cfg.Store.DB, cfg.Logger)
		stop := h.tallier.Start()
		app.Hooks().OnShutdown(func() error { stop(); return nil })
	}
	journal := ops.NewJournal(h.staff, cfg.Now)
	h.ops = operations{Council: ops.NewCouncil(journal, h.council, h.notify), Actions: ops.NewActions(journal, h.actions),
		Arenas: ops.NewArenas(journal, h.arenas), Branding: ops.NewBranding(journal, h.branding),
		Results: ops.NewResults(journal, h.surveys), TwoFactor: ops.NewTwoFactor(journal, h.staff),
		Users: ops.NewUsers(journal, h.staff, h.notify, cfg.Logger), Tokens: ops.NewTokens(journal, h.staff),
		Waves: ops.NewWaves(journal, h.surveys), Units: ops.NewUnits(journal, h.surveys),
		Invitations: ops.NewInvitations(journal, h.surveys, h.notify), Plan: ops.NewPlan(journal, h.surveys),
		Instruments: ops.NewInstruments(journal, h.surveys), FollowUp: ops.NewFollowUp(journal, h.feedback),
		Review: ops.NewReview(journal, h.review)}
	h.respond = respond.New(h.surveys, h.tallier, cfg.Secret, cfg.Logger)
	return &Server{App: app, Admin: h.adminApp()}, nil
}

func proxyHeader(trusted []string) string {
	if len(trusted) > 0 {
		return fiber.HeaderXForwardedFor
	}
	return ""
}

// ctx returns the request's context bounded by the store timeout.
func (h *handler) ctx(c *fiber.Ctx) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.UserContext(), 10*time.Second)
}
