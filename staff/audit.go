package staff

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/store"
)

const colAudit = "audit"

// Audit actions.
const (
	AuditLogin          = "login"
	AuditLoginFailed    = "login.failed"
	AuditLogout         = "logout"
	AuditLogoutAll      = "logout.all"
	AuditPasswordSet    = "password.set"
	AuditUserCreate     = "user.create"
	AuditUserUpdate     = "user.update"
	AuditUserLinkIssued = "user.link"
	AuditViewAudit      = "audit.view"
	AuditViewIndividual = "individual.view"
	AuditExport         = "export"
	AuditInstrument     = "instrument.change"
	AuditWave           = "wave.change"
	AuditAction         = "action.change"
	AuditCouncil        = "council.change"
	AuditInvitations    = "invitations.issue"
	AuditPlan           = "plan.change"
	// Standing feedback and follow-up: every view of a relative's contact
	// data, every change of a case, each conversation recorded, each purge.
	AuditContactView   = "contact.view"
	AuditContactChange = "contact.change"
	AuditConversation  = "followup.conversation"
	AuditContactPurge  = "contact.purge"
	// Free-text review decisions, views of unreviewed text, and API tokens.
	AuditTextReview = "text.review"
	AuditTextView   = "text.view"
	AuditToken      = "token.change"
	// Results reach the relatives' council when published, and leave it
	// when the publication is withdrawn.
	AuditResultsPublish  = "results.publish"
	AuditResultsWithdraw = "results.withdraw"
	// Security: a source locked out of logging in (named by its keyed hash,
	// never its address), second factors set up, removed or given new
	// recovery codes, and every API token revoked at once.
	AuditSourceLocked    = "login.source_locked"
	AuditTOTPEnable      = "2fa.enable"
	AuditTOTPDisable     = "2fa.disable"
	AuditTOTPRecovery    = "2fa.recovery_codes"
	AuditTokensRevokeAll = "token.revoke_all"
	// Units added, changed, moved, deactivated or imported.
	AuditUnit = "unit.change"
	// The follow-up register: enrolments, intervals and endings.
	AuditRegister = "register.change"
	// Participation arenas: their text and dates.
	AuditArena = "arena.change"
	// The yearly report downloaded as a PDF (to attach to a political case).
	AuditReport = "report.download"
	// The municipality's logo uploaded or removed.
	AuditBranding = "branding.change"
)

// AuditActions lists every audit action, for the audit log's filter; a
// new action belongs both above and here.
var AuditActions = []string{AuditLogin, AuditLoginFailed, AuditLogout, AuditLogoutAll, AuditPasswordSet,
	AuditUserCreate, AuditUserUpdate, AuditUserLinkIssued, AuditViewAudit, AuditViewIndividual, AuditExport,
	AuditInstrument, AuditWave, AuditAction, AuditCouncil, AuditInvitations, AuditPlan, AuditContactView,
	AuditContactChange, AuditConversation, AuditContactPurge, AuditTextReview, AuditTextView, AuditToken,
	AuditResultsPublish, AuditResultsWithdraw, AuditSourceLocked, AuditTOTPEnable, AuditTOTPDisable, AuditTOTPRecovery,
	AuditTokensRevokeAll, AuditUnit, AuditRegister, AuditArena, AuditReport, AuditBranding}

// AuditEntry is one line of the append-only audit log: who did what, when.
// It never holds an IP address, a password or an answer.
type AuditEntry struct {
	ID     string    `bson:"_id"`
	At     time.Time `bson:"at"`
	Actor  string    `bson:"actor"` // user e-mail, or "system" / "cli"
	Action string    `bson:"action"`
	Target string    `bson:"target,omitempty"`
	Detail string    `bson:"detail,omitempty"`
}

// Audit appends an entry. Entries are only ever inserted; nothing in Stemme
// updates or deletes them.
func (s *Store) Audit(ctx context.Context, at time.Time, actor, action, target, detail string) error {
	e := AuditEntry{ID: newID(), At: at.UTC(), Actor: actor, Action: action, Target: target, Detail: detail}
	if _, err := s.db.Collection(colAudit).InsertOne(ctx, e); err != nil {
		return fmt.Errorf("staff: unable to write audit entry: %w", err)
	}
	return nil
}

// AuditFilter narrows the audit log; empty fields match everything.
type AuditFilter struct {
	Actor  string
	Action string
	From   time.Time
	To     time.Time
	Limit  int64
}

// AuditLog returns matching entries, newest first.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	q := bson.D{}
	if f.Actor != "" {
		q = append(q, bson.E{Key: "actor", Value: f.Actor})
	}
	if f.Action != "" {
		q = append(q, bson.E{Key: "action", Value: f.Action})
	}
	at := bson.D{}
	if !f.From.IsZero() {
		at = append(at, bson.E{Key: "$gte", Value: f.From.UTC()})
	}
	if !f.To.IsZero() {
		at = append(at, bson.E{Key: "$lt", Value: f.To.UTC()})
	}
	if len(at) > 0 {
		q = append(q, bson.E{Key: "at", Value: at})
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	es, err := store.FindAll[AuditEntry](ctx, s.db.Collection(colAudit), q,
		options.Find().SetSort(bson.D{{Key: "at", Value: -1}}).SetLimit(f.Limit))
	if err != nil {
		return nil, fmt.Errorf("staff: unable to read audit log: %w", err)
	}
	return es, nil
}
