package feedback

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/contact"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// The follow-up register (seed 004: "Kartlegger om pårørende ønsker jevnlig
// oppfølgingssamtale med tjenesten, (ca hver 6 måned/årlig), ved oppstart
// av tjenestene"): relatives who, with their consent, get a conversation
// with the service every six or twelve months. Staff enrol them at the
// start of the service; a relative who asks for it in the feedback form is
// enrolled when their case is closed, so closing the case no longer drops
// the wish. Contact data is sealed while enrolled, deleted at once when
// consent is withdrawn, and deleted after the retention time when the
// service ends (docs/PRIVACY.md).

const colRegister = "followup_register"

// Enrolment states.
const (
	EnrolActive    = "active"
	EnrolWithdrawn = "withdrawn"
	EnrolEnded     = "ended"
)

// Enrolment is one relative in the register.
type Enrolment struct {
	ID   string `bson:"_id"`
	Unit string `bson:"unit"`
	// Interval is FollowUpHalfYear or FollowUpYearly.
	Interval string `bson:"interval"`
	// Started is the service start (YYYY-MM-DD), from which the first
	// conversation is counted.
	Started string `bson:"started"`
	// Consent is the date consent was given and who recorded it; a
	// relative's own request in the feedback form is their consent.
	ConsentOn string         `bson:"consent_on"`
	ConsentBy string         `bson:"consent_by"`
	FromCase  string         `bson:"from_case,omitempty"`
	Status    string         `bson:"status"`
	Talks     []Conversation `bson:"conversations,omitempty"`
	// Ended is the local date of withdrawal or end of service.
	Ended   string    `bson:"ended,omitempty"`
	Sealed  []byte    `bson:"sealed,omitempty"`
	Purged  time.Time `bson:"purged,omitempty"`
	Created time.Time `bson:"created"`
}

// RegisterContact is what is kept, sealed, about an enrolled relative.
type RegisterContact struct {
	Name  string `json:"name"`
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
	Lang  string `json:"lang"`
	// About says whose relative they are, as staff need it ("datter til
	// beboer på avdeling 2"); no health details.
	About string `json:"about,omitempty"`
}

// MaxAbout bounds RegisterContact.About.
const MaxAbout = 200

// NextDue is when the next conversation is due (YYYY-MM-DD): an interval
// after the last one, or after the service started; "" when not active.
func (e Enrolment) NextDue() string {
	months := map[string]int{FollowUpHalfYear: 6, FollowUpYearly: 12}[e.Interval]
	if e.Status != EnrolActive || months == 0 {
		return ""
	}
	last := e.Started
	for _, t := range e.Talks {
		last = max(last, t.Date)
	}
	d, err := time.Parse(time.DateOnly, last)
	if err != nil {
		return ""
	}
	return d.AddDate(0, months, 0).Format(time.DateOnly)
}

// Enrol adds a relative to the register with their consent, recorded by a
// staff member on the local date of now. It returns the field problems.
func (s *Store) Enrol(ctx context.Context, unit, interval, started string, c RegisterContact, consent bool, by string,
	now time.Time) (Enrolment, []FieldError, error) {
	return s.EnrolWith(ctx, NewRegisterID(), unit, interval, started, c, consent, by, now, nil)
}

// EnrolWith is Enrol with the enrolment's id given (NewRegisterID), calling
// commit once the form is valid, just before the enrolment is stored.
func (s *Store) EnrolWith(ctx context.Context, id, unit, interval, started string, c RegisterContact, consent bool, by string,
	now time.Time, commit surveys.Commit) (Enrolment, []FieldError, error) {
	var errs []FieldError
	add := func(field, msg string) { errs = append(errs, FieldError{Field: field, Message: msg}) }
	checkPerson(&c.Name, &c.Phone, &c.Email, add)
	c.About = contact.OneLine(c.About)
	if utf8.RuneCountInString(c.About) > MaxAbout {
		add("about", "register.error.about")
	}
	if !slices.Contains(surveys.Languages, c.Lang) {
		add("lang", "feedback.error.choice")
	}
	if interval != FollowUpHalfYear && interval != FollowUpYearly {
		add("interval", "feedback.error.choice")
	}
	if d, err := time.ParseInLocation(time.DateOnly, started, surveys.Oslo); err != nil || d.After(now.AddDate(1, 0, 0)) {
		add("started", "register.error.started")
	}
	if !consent {
		add("consent", "register.error.consent")
	}
	if unit == "" {
		add("unit", "feedback.error.choice")
	}
	if len(errs) > 0 {
		return Enrolment{}, errs, nil
	}
	e := Enrolment{ID: id, Unit: unit, Interval: interval, Started: started, ConsentOn: surveys.LocalDate(now),
		ConsentBy: by, Status: EnrolActive, Created: now.UTC()}
	if err := run(commit); err != nil {
		return Enrolment{}, nil, err
	}
	return e, nil, s.insertEnrolment(ctx, &e, c)
}

func (s *Store) insertEnrolment(ctx context.Context, e *Enrolment, c RegisterContact) error {
	plain, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("feedback: %w", err)
	}
	e.Sealed = s.seal.seal(plain, "register/"+e.ID)
	if _, err := s.db.Collection(colRegister).InsertOne(ctx, e); err != nil && !store.IsDuplicate(err) {
		return fmt.Errorf("feedback: unable to enrol: %w", err)
	}
	return nil
}

// enrolFromCase keeps the follow-up wish of a case about to close: the
// relative is enrolled with the contact data they gave, from the day they
// were first contacted. Repeating it changes nothing.
func (s *Store) enrolFromCase(ctx context.Context, r ContactRequest, now time.Time) error {
	if r.FollowUp != FollowUpHalfYear && r.FollowUp != FollowUpYearly || !r.Purged.IsZero() {
		return nil
	}
	c, _, err := s.Reveal(r)
	if err != nil {
		return err
	}
	started := surveys.LocalDate(r.Received)
	if !r.Contacted.IsZero() {
		started = surveys.LocalDate(r.Contacted)
	}
	e := Enrolment{ID: derivedID("register", r.ID), Unit: r.Unit, Interval: r.FollowUp, Started: started,
		ConsentOn: surveys.LocalDate(r.Received), ConsentBy: "feedback-form", FromCase: r.ID, Status: EnrolActive,
		Talks: r.Talks, Created: now.UTC()}
	return s.insertEnrolment(ctx, &e, RegisterContact{Name: c.Name, Phone: c.Phone, Email: c.Email, Lang: c.Lang})
}

// Enrolments lists the active enrolments of the units (every unit when all
// is set), the next conversation due first.
func (s *Store) Enrolments(ctx context.Context, units []string, all bool) ([]Enrolment, error) {
	es, err := store.FindAll[Enrolment](ctx, s.db.Collection(colRegister), bson.D{{Key: "status", Value: EnrolActive}})
	if err != nil {
		return nil, fmt.Errorf("feedback: unable to list the register: %w", err)
	}
	es = slices.DeleteFunc(es, func(e Enrolment) bool { return !all && !slices.Contains(units, e.Unit) })
	slices.SortFunc(es, func(a, b Enrolment) int { return strings.Compare(a.NextDue(), b.NextDue()) })
	return es, nil
}

// Enrolment returns one enrolment.
func (s *Store) Enrolment(ctx context.Context, id string) (Enrolment, error) {
	var e Enrolment
	if err := s.db.Collection(colRegister).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&e); err != nil {
		return Enrolment{}, fmt.Errorf("feedback: unable to find enrolment: %w", err)
	}
	return e, nil
}

// RevealEnrolment decrypts an enrolment's contact data. Callers check
// access and write the audit entry first.
func (s *Store) RevealEnrolment(e Enrolment) (RegisterContact, error) {
	var c RegisterContact
	if len(e.Sealed) == 0 {
		return c, ErrUnsealable
	}
	plain, err := s.seal.open(e.Sealed, "register/"+e.ID)
	if err != nil {
		return c, err
	}
	return c, json.Unmarshal(plain, &c)
}

// ErrEnrolment means the enrolment is not active, or a change is not valid.
var ErrEnrolment = errors.New("feedback: the enrolment is not active, or the change is not valid")

// changeEnrolment applies an update to an active enrolment.
func (s *Store) changeEnrolment(ctx context.Context, id string, update bson.D, commit surveys.Commit) error {
	defer s.caseLocks.Lock("register/" + id)()
	e, err := s.Enrolment(ctx, id)
	if err != nil {
		return err
	}
	if e.Status != EnrolActive {
		return ErrEnrolment
	}
	if err := run(commit); err != nil {
		return err
	}
	s.interleave("register/" + id)
	// Only while the enrolment is active: a conversation recorded as
	// another instance withdraws consent must not put data back.
	res, err := s.db.Collection(colRegister).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "status", Value: EnrolActive}}, update)
	if err != nil {
		return fmt.Errorf("feedback: unable to change enrolment: %w", err)
	}
	if res.MatchedCount == 0 {
		return ErrEnrolment
	}
	return nil
}

// RecordTalk adds a conversation held on date (not in the future) by a staff member.
func (s *Store) RecordTalk(ctx context.Context, id, date, by string, now time.Time) error {
	return s.RecordTalkWith(ctx, id, date, by, now, nil)
}

// RecordTalkWith is RecordTalk calling commit once the enrolment is found
// active, just before the conversation is recorded.
func (s *Store) RecordTalkWith(ctx context.Context, id, date, by string, now time.Time, commit surveys.Commit) error {
	d, err := time.ParseInLocation(time.DateOnly, date, surveys.Oslo)
	if err != nil || d.After(now) || strings.TrimSpace(by) == "" {
		return ErrConversation
	}
	return s.changeEnrolment(ctx, id, bson.D{{Key: "$push", Value: bson.D{{Key: "conversations",
		Value: Conversation{Date: date, By: strings.TrimSpace(by)}}}}}, commit)
}

// SetInterval changes how often conversations are held.
func (s *Store) SetInterval(ctx context.Context, id, interval string) error {
	return s.SetIntervalWith(ctx, id, interval, nil)
}

// SetIntervalWith is SetInterval calling commit once the enrolment is found
// active, just before it changes.
func (s *Store) SetIntervalWith(ctx context.Context, id, interval string, commit surveys.Commit) error {
	if interval != FollowUpHalfYear && interval != FollowUpYearly {
		return ErrEnrolment
	}
	return s.changeEnrolment(ctx, id, bson.D{{Key: "$set", Value: bson.D{{Key: "interval", Value: interval}}}}, commit)
}

// Withdraw ends an enrolment because consent was withdrawn, and deletes its
// contact data and the names of staff at once: nothing of the person stays.
func (s *Store) Withdraw(ctx context.Context, id string, now time.Time) error {
	return s.WithdrawWith(ctx, id, now, nil)
}

// WithdrawWith is Withdraw calling commit once the enrolment is found
// active, just before its data is deleted.
func (s *Store) WithdrawWith(ctx context.Context, id string, now time.Time, commit surveys.Commit) error {
	return s.changeEnrolment(ctx, id, bson.D{
		{Key: "$set", Value: bson.D{{Key: "status", Value: EnrolWithdrawn}, {Key: "ended", Value: surveys.LocalDate(now)},
			{Key: "purged", Value: now.UTC()}}},
		{Key: "$unset", Value: bson.D{{Key: "sealed", Value: ""}, {Key: "conversations", Value: ""}, {Key: "consent_by", Value: ""}}}},
		commit)
}

// EndService ends an enrolment because the service ended; its contact data
// goes with the next purge after the retention time.
func (s *Store) EndService(ctx context.Context, id string, now time.Time) error {
	return s.EndServiceWith(ctx, id, now, nil)
}

// EndServiceWith is EndService calling commit once the enrolment is found
// active, just before it ends.
func (s *Store) EndServiceWith(ctx context.Context, id string, now time.Time, commit surveys.Commit) error {
	return s.changeEnrolment(ctx, id, bson.D{{Key: "$set", Value: bson.D{
		{Key: "status", Value: EnrolEnded}, {Key: "ended", Value: surveys.LocalDate(now)}}}}, commit)
}

// PurgeRegister deletes the contact data of enrolments whose service ended
// at least retention before now (DefaultRetention when it is not positive),
// and returns them (with dryRun, changes nothing).
func (s *Store) PurgeRegister(ctx context.Context, now time.Time, retention time.Duration, dryRun bool) ([]Enrolment, error) {
	if dryRun {
		return s.enrolmentsDue(ctx, now, retention)
	}
	return s.PurgeRegisterWith(ctx, now, retention, nil)
}

// PurgeRegisterWith is PurgeRegister calling commit with the number of
// enrolments due once they are found, before any is purged; when commit
// fails, nothing is purged. With none due, commit is not called.
func (s *Store) PurgeRegisterWith(ctx context.Context, now time.Time, retention time.Duration, commit func(due int) error) ([]Enrolment, error) {
	due, err := s.enrolmentsDue(ctx, now, retention)
	if err != nil || len(due) == 0 {
		return due, err
	}
	if commit != nil {
		if err := commit(len(due)); err != nil {
			return nil, err
		}
	}
	ids := make([]string, len(due))
	for i, e := range due {
		ids[i] = e.ID
	}
	_, err = s.db.Collection(colRegister).UpdateMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}, bson.D{
		{Key: "$set", Value: bson.D{{Key: "purged", Value: now.UTC()}}},
		{Key: "$unset", Value: bson.D{{Key: "sealed", Value: ""}, {Key: "conversations", Value: ""}, {Key: "consent_by", Value: ""}}}})
	if err != nil {
		return nil, fmt.Errorf("feedback: unable to purge the register: %w", err)
	}
	return due, nil
}

// enrolmentsDue lists the ended enrolments whose contact data is due for
// purging.
func (s *Store) enrolmentsDue(ctx context.Context, now time.Time, retention time.Duration) ([]Enrolment, error) {
	es, err := store.FindAll[Enrolment](ctx, s.db.Collection(colRegister), bson.D{{Key: "status", Value: EnrolEnded}})
	if err != nil {
		return nil, fmt.Errorf("feedback: unable to read the register: %w", err)
	}
	cutoff := surveys.LocalDate(now.Add(-kept(retention)))
	var due []Enrolment
	for _, e := range es {
		if e.Purged.IsZero() && e.Ended <= cutoff {
			due = append(due, e)
		}
	}
	return due, nil
}

// NewRegisterID returns the id of a new enrolment.
func NewRegisterID() string { return derivedID("register", surveys.NewSubmissionID()) }
