package notify

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/stemme/stemme/outbox"
	"github.com/stemme/stemme/surveys"
)

// An invitation list is a spreadsheet (.xlsx, first sheet) or a text/CSV
// file with one e-mail address or mobile number per row, in the first
// column; a heading in the first row is skipped. The list is never stored:
// each address goes into its own outbox message, sealed, and is deleted
// when the message is sent.

// ListProblem is a row of a list that cannot be used; Message is a locale
// message id.
type ListProblem struct {
	Row     int
	Message string
	Args    map[string]any
}

// MaxListBytes bounds an uploaded list.
const MaxListBytes = 1 << 20

// ErrList means the file is not a list that can be read; its text is a
// locale message id.
var ErrList = errors.New("invitations.send.error.unreadable")

// ReadRecipients reads a list for a channel and returns the usable
// addresses (normalized) and every problem by row. Duplicates are
// problems: a relative gets one code.
func ReadRecipients(data []byte, filename, channel string) ([]string, []ListProblem, error) {
	rows, err := firstColumn(data, filename)
	if err != nil {
		return nil, nil, err
	}
	var out []string
	var problems []ListProblem
	first := map[string]int{}
	msg := "invitations.send.error.email"
	if channel == outbox.SMS {
		msg = "invitations.send.error.phone"
	}
	for i, v := range rows {
		row := i + 1
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		to, err := outbox.Normalize(channel, v)
		if err != nil {
			if row == 1 && !strings.ContainsAny(v, "@0123456789") {
				continue // a heading
			}
			problems = append(problems, ListProblem{Row: row, Message: msg, Args: map[string]any{"Value": v}})
			continue
		}
		if r, dup := first[to]; dup {
			problems = append(problems, ListProblem{Row: row, Message: "invitations.send.error.duplicate", Args: map[string]any{"First": r}})
			continue
		}
		first[to] = row
		out = append(out, to)
	}
	if len(out)+len(problems) == 0 {
		return nil, nil, ErrList
	}
	if len(out) > surveys.MaxBatch {
		problems = append(problems, ListProblem{Row: 0, Message: "invitations.send.error.too_many", Args: map[string]any{"Max": surveys.MaxBatch}})
	}
	return out, problems, nil
}

// firstColumn returns the first cell of every row.
func firstColumn(data []byte, filename string) ([]string, error) {
	if len(data) > MaxListBytes {
		return nil, ErrList
	}
	if strings.HasSuffix(strings.ToLower(filename), ".xlsx") {
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			return nil, ErrList
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, ErrList
		}
		rows, err := f.GetRows(sheets[0])
		if err != nil {
			return nil, ErrList
		}
		out := make([]string, len(rows))
		for i, r := range rows {
			if len(r) > 0 {
				out[i] = r[0]
			}
		}
		return out, nil
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	if strings.Count(text, ";") > strings.Count(text, ",") {
		r.Comma = ';'
	}
	var out []string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, ErrList
		}
		out = append(out, rec[0])
	}
}

// SendInvitations issues one single-use code per recipient for a unit of a
// wave, exactly as for letters (only the code's hash is stored), and
// queues one message per recipient in lang. It returns how many were queued.
func (n *Notifier) SendInvitations(ctx context.Context, waveID, unitID, lang, channel string, recipients []string,
	by string, now time.Time) (int, error) {
	return n.SendInvitationsWith(ctx, waveID, unitID, lang, channel, recipients, by, now, nil)
}

// SendInvitationsWith is SendInvitations calling commit just before the
// codes are stored (surveys.Store.IssueInvitationsWith).
func (n *Notifier) SendInvitationsWith(ctx context.Context, waveID, unitID, lang, channel string, recipients []string,
	by string, now time.Time, commit surveys.Commit) (int, error) {
	w, err := n.Surveys.Wave(ctx, waveID)
	if err != nil {
		return 0, err
	}
	unit, err := n.Surveys.Unit(ctx, unitID)
	if err != nil {
		return 0, err
	}
	codes, err := n.Surveys.IssueInvitationsWith(ctx, waveID, unitID, len(recipients), by, now, commit)
	if err != nil {
		return 0, err
	}
	for i, to := range recipients {
		data := map[string]any{"Survey": w.Name, "Unit": unit.Name, "Code": codes[i], "Closes": w.Closes,
			"Link": n.BaseURL + "/i?kode=" + codes[i]}
		d := outbox.Draft{Channel: channel, Kind: "invitation", To: to, Ref: waveID + "/" + unitID,
			Subject: n.T(lang, "invite.mail.subject", data), Body: n.T(lang, "invite.mail.body", data)}
		if channel == outbox.SMS {
			d.Subject, d.Body = "", n.T(lang, "invite.sms.body", data)
		}
		if _, err := n.Outbox.Enqueue(ctx, d, now); err != nil {
			return i, fmt.Errorf("notify: invitation %d: %w", i+1, err)
		}
	}
	return len(recipients), nil
}
