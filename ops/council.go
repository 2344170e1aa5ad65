package ops

import (
	"context"
	"strings"

	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/notify"
	"github.com/stemme/stemme/staff"
)

// Council runs the relatives' council's operations: its settings, members,
// meetings, agendas, minutes and decisions, and the notice of a meeting.
// Each writes a staff.AuditCouncil entry first (see the package doc).
type Council struct {
	area
	council *council.Store
	notify  *notify.Notifier
}

// NewCouncil returns the council's operations on cs, telling members
// through n.
func NewCouncil(j *Journal, cs *council.Store, n *notify.Notifier) *Council {
	return &Council{area: area{j, staff.AuditCouncil}, council: cs, notify: n}
}

// SaveSettings replaces the council's contact settings; a
// *council.FieldError names a field that is not right.
func (o *Council) SaveSettings(ctx context.Context, who string, st council.Settings) error {
	if err := st.Validate(); err != nil {
		return err
	}
	return o.record(ctx, who, "settings", "save", func() error { return o.council.SaveSettings(ctx, st) })
}

// AddMember adds a member and returns it with its id.
func (o *Council) AddMember(ctx context.Context, who string, m council.Member) (*council.Member, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	m.ID = council.NewID()
	var added *council.Member
	err := o.record(ctx, who, m.ID, "member.add", func() (err error) {
		added, err = o.council.AddMember(ctx, m, o.now())
		return err
	})
	return added, err
}

// RemoveMember removes a member; council.ErrNotFound when there is none.
func (o *Council) RemoveMember(ctx context.Context, who, id string) error {
	return o.record(ctx, who, id, "member.remove", func() error { return o.council.RemoveMember(ctx, id) })
}

// AddMeeting plans a meeting and returns it with its id.
func (o *Council) AddMeeting(ctx context.Context, who string, m council.Meeting) (*council.Meeting, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	m.ID = council.NewID()
	var added *council.Meeting
	err := o.record(ctx, who, m.ID, "meeting.add", func() (err error) {
		added, err = o.council.AddMeeting(ctx, m)
		return err
	})
	return added, err
}

// AddAgendaItem puts an item on a meeting's agenda (a.Meeting).
func (o *Council) AddAgendaItem(ctx context.Context, who string, a council.AgendaItem) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return o.record(ctx, who, a.Meeting, "agenda.add", func() error {
		_, err := o.council.AddAgendaItem(ctx, a, o.now())
		return err
	})
}

// SaveMinutes replaces a meeting's minutes.
func (o *Council) SaveMinutes(ctx context.Context, who, meeting, minutes string) error {
	if err := council.CheckMinutes(strings.TrimSpace(minutes)); err != nil {
		return err
	}
	return o.record(ctx, who, meeting, "minutes.save", func() error { return o.council.SaveMinutes(ctx, meeting, minutes) })
}

// AddDecision records a decision of a meeting (d.Meeting).
func (o *Council) AddDecision(ctx context.Context, who string, d council.Decision) error {
	if err := d.Validate(); err != nil {
		return err
	}
	return o.record(ctx, who, d.Meeting, "decision.add", func() error {
		_, err := o.council.AddDecision(ctx, d, o.now())
		return err
	})
}

// SetDecisionDone marks a decision done, or not done.
func (o *Council) SetDecisionDone(ctx context.Context, who, id string, done bool) error {
	return o.record(ctx, who, id, "decision.done", func() error { return o.council.SetDecisionDone(ctx, id, done) })
}

// SendNotice e-mails the members the meeting's time, place and agenda
// through the outbox and returns how many were told. The entry is written
// before the count is known, so it reads "notice".
func (o *Council) SendNotice(ctx context.Context, who, meeting string) (int, error) {
	var n int
	err := o.record(ctx, who, meeting, "notice", func() (err error) {
		n, err = o.notify.CouncilNotice(ctx, meeting, o.now())
		return err
	})
	return n, err
}
