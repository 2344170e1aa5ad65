package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/staff"
)

// routes is the one table of every route, so access rules are visible at a
// glance. Every POST passes sameOrigin; every staff POST also checkCSRF.
func (h *handler) routes(app *fiber.App) {
	app.Use(securityHeaders(h.https), recoverPanics(h.cfg.Logger), requestLog(h.cfg.Logger, h.metrics), h.proxies.clientAddress, h.sameOrigin)

	var (
		anyStaff = h.require()
		admin    = h.require(staff.RoleAdmin)
		// advisorOrAdmin guards planning and analysis pages.
		advisorOrAdmin = h.require(staff.RoleAdmin, staff.RoleAdvisor)
		csrf           = h.checkCSRF
		loginLimit     = rateLimit(10, time.Minute, nil)
		// Moving back and forth posts the form once per page, and relatives
		// in one care home may share an address: the limit is generous.
		formLimit = rateLimit(120, time.Minute, h.surveyTooMany)
		codeLimit = rateLimit(10, time.Minute, nil)
		// Second-factor codes: their own budget, apart from relatives' codes.
		twoFactorLimit = rateLimit(10, time.Minute, nil)
	)

	// Probes for operators and load balancers. /metrics needs the metrics
	// token here; the admin listener (adminApp) serves it without.
	app.Get("/healthz", h.healthz)
	app.Get("/readyz", h.readyz)
	app.Get("/metrics", h.metricsPage())

	app.Get("/static/*", h.static)

	// Public pages for relatives: anonymous, no session.
	app.Get("/", h.home)
	app.Get("/s/:link", h.surveyShow)
	app.Post("/s/:link", h.countSubmission, formLimit, h.surveySubmit)
	app.Get("/s/:link/takk", h.surveyThanks)
	app.Get("/s/:link/lagret", h.savedShow)
	app.Get("/s/:link/fortsett", h.resumeShow)
	app.Post("/s/:link/fortsett", codeLimit, h.resumeSubmit)
	app.Get("/personvern", h.statementPage("privacy", "privacy.title"))
	app.Get("/tilgjengelighet", h.statementPage("accessibility", "a11y.title"))
	app.Get("/i", h.inviteShow)
	app.Post("/i", codeLimit, h.inviteSubmit)
	app.Get("/trekk", h.withdrawShow)
	app.Post("/trekk", codeLimit, h.withdrawSubmit)

	// Signing in and out. The second step after the password is reached
	// with the challenge cookie that a right password sets.
	app.Get("/login", h.loginShow)
	app.Post("/login", loginLimit, csrf, h.loginSubmit)
	app.Get("/login/2fa", h.secondStepShow)
	app.Post("/login/2fa", twoFactorLimit, csrf, h.secondStepSubmit)
	app.Get("/passord/:token", h.passwordShow)
	app.Post("/passord/:token", loginLimit, csrf, h.passwordSubmit)
	app.Post("/logout", anyStaff, csrf, h.logout)
	app.Get("/logout/everywhere", anyStaff, h.logoutEverywhereShow)
	app.Post("/logout/everywhere", anyStaff, csrf, h.logoutEverywhere)

	// Each user's own second factor; admins may remove anyone's.
	app.Get("/admin/2fa", anyStaff, h.twoFactorShow)
	app.Get("/admin/2fa/qr.png", anyStaff, h.twoFactorQR)
	app.Post("/admin/2fa/setup", anyStaff, csrf, h.twoFactorSetup)
	app.Post("/admin/2fa/enable", anyStaff, twoFactorLimit, csrf, h.twoFactorEnable)
	app.Post("/admin/2fa/disable", anyStaff, twoFactorLimit, csrf, h.twoFactorDisable)
	app.Post("/admin/2fa/recovery", anyStaff, twoFactorLimit, csrf, h.twoFactorRecovery)
	app.Post("/admin/users/:id/2fa/reset", admin, csrf, h.userTwoFactorReset)

	// The session's timeout: more time, and a form sent after the end.
	app.Post("/admin/session/extend", anyStaff, csrf, h.sessionExtend)
	app.Get("/admin/unsent", anyStaff, h.unsentShow)

	// Staff pages.
	app.Get("/admin", anyStaff, h.adminHome)
	app.Get("/admin/users", admin, h.usersList)
	app.Post("/admin/users", admin, csrf, h.userCreate)
	app.Get("/admin/users/:id", admin, h.userEdit)
	app.Post("/admin/users/:id", admin, csrf, h.userUpdate)
	app.Post("/admin/users/:id/link", admin, csrf, h.userLink)
	app.Get("/admin/audit", admin, h.auditList)
	// Every e-mail and SMS waiting or sent, without its content.
	app.Get("/admin/outbox", admin, h.outboxList)

	// Advisors: waves, plan and instruments.
	app.Get("/admin/waves", advisorOrAdmin, h.wavesList)
	app.Post("/admin/waves/:id/open", advisorOrAdmin, csrf, h.waveOpen)
	app.Post("/admin/waves/:id/close", advisorOrAdmin, csrf, h.waveClose)
	app.Get("/admin/waves/:id/population", advisorOrAdmin, h.populationShow)
	app.Post("/admin/waves/:id/population", advisorOrAdmin, csrf, h.populationSave)
	app.Get("/admin/plan", advisorOrAdmin, h.planShow)
	app.Post("/admin/plan", advisorOrAdmin, csrf, h.planSave)
	app.Get("/admin/instruments", advisorOrAdmin, h.instrumentsList)
	app.Get("/admin/instruments/:id/preview", advisorOrAdmin, h.instrumentPreview)
	app.Get("/admin/invitations", advisorOrAdmin, h.invitationsShow)
	app.Post("/admin/invitations", advisorOrAdmin, csrf, h.invitationsIssue)
	app.Get("/admin/invitations/send", advisorOrAdmin, h.invitationSendShow)
	app.Post("/admin/invitations/send", advisorOrAdmin, csrf, h.invitationSend)
	app.Get("/admin/posters/:link", advisorOrAdmin, h.poster)
	// Units (virksomheter): the hierarchy advisors plan waves over, and
	// the public overview of their contact details and hours.
	app.Get("/admin/units", advisorOrAdmin, h.unitsList)
	app.Post("/admin/units", advisorOrAdmin, csrf, h.unitCreate)
	app.Get("/admin/units/import", advisorOrAdmin, h.unitImportShow)
	app.Post("/admin/units/import", advisorOrAdmin, csrf, h.unitImportPreview)
	app.Post("/admin/units/import/confirm", advisorOrAdmin, csrf, h.unitImportConfirm)
	app.Get("/admin/units/:id", advisorOrAdmin, h.unitEdit)
	app.Post("/admin/units/:id", advisorOrAdmin, csrf, h.unitUpdate)
	app.Post("/admin/units/:id/active", advisorOrAdmin, csrf, h.unitActive)
	app.Get("/kontakt", h.unitsPublic)

	// Advisors: XLSForm in and out, and files for translators.
	app.Get("/admin/instruments/import", advisorOrAdmin, h.xlsformImportShow)
	app.Post("/admin/instruments/import", advisorOrAdmin, csrf, h.xlsformImportPreview)
	app.Post("/admin/instruments/import/:token", advisorOrAdmin, csrf, h.xlsformImportConfirm)
	app.Get("/admin/instruments/:id/xlsform", advisorOrAdmin, h.xlsformDownload)
	app.Get("/admin/instruments/:id/translations.csv", advisorOrAdmin, h.translationsDownload)
	app.Post("/admin/instruments/:id/translations", advisorOrAdmin, csrf, h.translationsUpload)

	// Advisors: the instrument editor and new waves.
	app.Post("/admin/instruments/:id/draft", advisorOrAdmin, csrf, h.draftCreate)
	app.Get("/admin/instruments/:id/edit", advisorOrAdmin, h.editorShow)
	app.Post("/admin/instruments/:id/edit/title", advisorOrAdmin, csrf, h.titleSave)
	app.Post("/admin/instruments/:id/edit/languages", advisorOrAdmin, csrf, h.languagesSave)
	app.Post("/admin/instruments/:id/edit/focus-areas", advisorOrAdmin, csrf, h.focusAreasSave)
	app.Post("/admin/instruments/:id/edit/focus-areas/new", advisorOrAdmin, csrf, h.focusAreaAdd)
	app.Post("/admin/instruments/:id/edit/lists/new", advisorOrAdmin, csrf, h.listAdd)
	app.Post("/admin/instruments/:id/edit/lists/:list", advisorOrAdmin, csrf, h.listSave)
	app.Post("/admin/instruments/:id/edit/lists/:list/choices", advisorOrAdmin, csrf, h.choiceAdd)
	app.Post("/admin/instruments/:id/edit/pages", advisorOrAdmin, csrf, h.pageAdd)
	app.Post("/admin/instruments/:id/edit/pages/:page", advisorOrAdmin, csrf, h.pageChange)
	app.Get("/admin/instruments/:id/edit/questions/new", advisorOrAdmin, h.questionNew)
	app.Post("/admin/instruments/:id/edit/questions", advisorOrAdmin, csrf, h.questionCreate)
	app.Get("/admin/instruments/:id/edit/questions/:key", advisorOrAdmin, h.questionShow)
	app.Post("/admin/instruments/:id/edit/questions/:key", advisorOrAdmin, csrf, h.questionChange)
	app.Post("/admin/instruments/:id/publish", advisorOrAdmin, csrf, h.instrumentPublish)
	app.Get("/admin/waves/new", advisorOrAdmin, h.waveNewShow)
	app.Post("/admin/waves/new", advisorOrAdmin, csrf, h.waveCreate)
	// Standing feedback (public) and follow-up of contact requests: follow-up
	// staff see their own units' cases, admins all; advisors see the counts.
	feedbackLimit := rateLimit(30, time.Minute, h.feedbackTooMany)
	followUpOrAdmin := h.require(staff.RoleAdmin, staff.RoleFollowUp)
	app.Get("/tilbakemelding", h.feedbackShow)
	app.Get("/tilbakemelding/:unit", h.feedbackShow)
	app.Post("/tilbakemelding", feedbackLimit, h.feedbackSubmit)
	app.Get("/admin/followup", followUpOrAdmin, h.followUpQueue)
	app.Get("/admin/followup/:id", followUpOrAdmin, h.followUpCase)
	app.Post("/admin/followup/:id/contacted", followUpOrAdmin, csrf, h.followUpContacted)
	app.Post("/admin/followup/:id/close", followUpOrAdmin, csrf, h.followUpClose)
	app.Post("/admin/followup/:id/conversation", followUpOrAdmin, csrf, h.followUpConversation)
	app.Get("/admin/feedback", followUpOrAdmin, h.feedbackList)
	// The follow-up register: relatives enrolled for regular conversations.
	app.Get("/admin/register", followUpOrAdmin, h.registerList)
	app.Get("/admin/register/new", followUpOrAdmin, h.registerNew)
	app.Post("/admin/register", followUpOrAdmin, csrf, h.registerCreate)
	app.Get("/admin/register/:id", followUpOrAdmin, h.registerShow)
	app.Post("/admin/register/:id/:change", followUpOrAdmin, csrf, h.registerChange)
	app.Get("/admin/feedback/stats", advisorOrAdmin, h.feedbackStats)

	// Free-text review: advisors decide on survey text and feedback alike;
	// reviewed text reaches unit leaders (own units) and the council.
	readers := h.require(staff.RoleAdmin, staff.RoleAdvisor, staff.RoleUnitLeader, staff.RoleCouncil)
	app.Get("/admin/review", advisorOrAdmin, h.reviewQueue)
	app.Get("/admin/review/:source/:id", advisorOrAdmin, h.reviewItem)
	app.Post("/admin/review/:source/:id", advisorOrAdmin, csrf, h.reviewDecide)
	app.Get("/admin/texts", readers, h.reviewedTexts)
	app.Get("/admin/texts/feedback", h.require(staff.RoleAdmin, staff.RoleAdvisor, staff.RoleUnitLeader), h.reviewedFeedback)

	// API tokens (each user their own) and the read-only JSON API. The API
	// reads no cookie: a token in the Authorization header is the only way in.
	app.Get("/admin/tokens", readers, h.tokensList)
	app.Post("/admin/tokens", readers, csrf, h.tokenCreate)
	app.Post("/admin/tokens/:ref/revoke", readers, csrf, h.tokenRevoke)
	api := []fiber.Handler{apiHeaders, apiRateLimit(), h.apiAuth}
	app.Get("/api/v1/waves", append(api, h.apiWaves)...)
	app.Get("/api/v1/units", append(api, h.apiUnits)...)
	app.Get("/api/v1/waves/:wave/results", append(api, h.apiResults)...)
	app.Get("/api/v1/waves/:wave/focus-areas", append(api, h.apiFocusAreas)...)
	app.Get("/api/v1/waves/:wave/items/:item", append(api, h.apiItem)...)
	app.Use("/api", apiFallback)
	// unitReaders read actions and results, unit leaders only of their own
	// units; councilOrAdvisor reach the council workspace and its report,
	// which show only published, suppressed results. Advisors and admins
	// change actions and prepare the council's meetings; members comment.
	unitReaders := h.require(staff.RoleAdmin, staff.RoleAdvisor, staff.RoleUnitLeader)
	councilOrAdvisor := h.require(staff.RoleAdmin, staff.RoleAdvisor, staff.RoleCouncil)
	app.Get("/admin/actions", unitReaders, h.actionsList)
	app.Get("/admin/actions/new", advisorOrAdmin, h.actionNew)
	app.Post("/admin/actions", advisorOrAdmin, csrf, h.actionCreate)
	app.Get("/admin/actions/import", advisorOrAdmin, h.importShow)
	app.Post("/admin/actions/import", advisorOrAdmin, csrf, h.importPreview)
	app.Post("/admin/actions/import/confirm", advisorOrAdmin, csrf, h.importConfirm)
	// An action's owner and the leaders of its units update its status and
	// add notes; the handlers check which action.
	app.Get("/admin/actions/:id", unitReaders, h.actionShow)
	app.Post("/admin/actions/:id", unitReaders, csrf, h.actionUpdate)
	app.Post("/admin/actions/:id/notes", unitReaders, csrf, h.actionNote)
	app.Get("/admin/council", councilOrAdvisor, h.councilHome)
	app.Post("/admin/council/settings", admin, csrf, h.councilSettings)
	app.Post("/admin/council/members", advisorOrAdmin, csrf, h.memberAdd)
	app.Post("/admin/council/members/:id/remove", advisorOrAdmin, csrf, h.memberRemove)
	app.Post("/admin/council/meetings", advisorOrAdmin, csrf, h.meetingCreate)
	app.Get("/admin/council/meetings/:id", councilOrAdvisor, h.meetingShow)
	app.Post("/admin/council/meetings/:id/agenda", advisorOrAdmin, csrf, h.agendaAdd)
	app.Post("/admin/council/meetings/:id/minutes", advisorOrAdmin, csrf, h.minutesSave)
	app.Post("/admin/council/meetings/:id/decisions", advisorOrAdmin, csrf, h.decisionAdd)
	app.Post("/admin/council/meetings/:id/notice", advisorOrAdmin, csrf, h.meetingNotice)
	app.Post("/admin/council/decisions/:id/done", advisorOrAdmin, csrf, h.decisionDone)
	app.Get("/admin/council/actions/:id", councilOrAdvisor, h.councilAction)
	app.Post("/admin/council/actions/:id/comments", councilOrAdvisor, csrf, h.councilActionComment)
	app.Get("/admin/council/findings/:wave", councilOrAdvisor, h.councilFinding)
	app.Post("/admin/council/findings/:wave/comments", councilOrAdvisor, csrf, h.councilFindingComment)

	// Public: published results with the actions taken, and every way to take part.
	app.Get("/resultater", h.publicResults)
	app.Get("/resultater/:wave", h.publicResultsWave)
	app.Get("/delta", h.delta)
	signUpLimit := rateLimit(30, time.Minute, nil)
	app.Get("/delta/pamelding/:event", h.signUpShow)
	app.Post("/delta/pamelding/:event", signUpLimit, h.signUpSubmit)
	// Admins keep the arenas on /delta: their text, dates and sign-ups.
	app.Get("/admin/arenas", admin, h.arenasAdmin)
	app.Post("/admin/arenas/sections/:kind", admin, csrf, h.arenaSectionSave)
	app.Post("/admin/arenas/events", admin, csrf, h.arenaEventAdd)
	app.Get("/admin/arenas/events/:id", admin, h.arenaSignUps)
	app.Post("/admin/arenas/events/:id/remove", admin, csrf, h.arenaEventRemove)
	// The municipality's logo: admins upload it, every page shows it.
	app.Get("/logo", h.logoFile)
	app.Get("/admin/branding", admin, h.brandingShow)
	app.Post("/admin/branding", admin, csrf, h.brandingUpload)
	app.Post("/admin/branding/remove", admin, csrf, h.brandingRemove)
	// Exports: advisors everything; unit leaders their units' results and
	// the council published results, both without raw data (checkExport).
	app.Get("/admin/export", readers, h.exportShow)
	// Results: the advisor dashboard (unit leaders see their own units'
	// results there), publication to the council, and the council's report
	// of published waves (advisors see what the council sees).
	app.Get("/admin/results", unitReaders, h.resultsShow)
	app.Post("/admin/results/:id/publish", advisorOrAdmin, csrf, h.resultsPublish)
	app.Post("/admin/results/:id/withdraw", advisorOrAdmin, csrf, h.resultsWithdraw)
	app.Get("/admin/council/results", councilOrAdvisor, h.councilResults)
	// The yearly report to the political committee: published results,
	// feedback counts protected per unit, actions and the council's work;
	// as a printable page and as a PDF (each download audited).
	app.Get("/admin/report", councilOrAdvisor, h.reportShow)
	app.Get("/admin/report/pdf", councilOrAdvisor, h.reportPDF)
}
