package notify

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/outbox"
	"github.com/stemme/stemme/outbox/smtptest"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var testSecret = []byte("0123456789abcdef0123456789abcdef")

// rig is a notifier whose outbox sends to a real SMTP server and a real
// HTTP SMS gateway.
type rig struct {
	n      *Notifier
	worker *outbox.Worker
	mail   *smtptest.Server
	sms    *smsGateway
	users  map[string]staff.User
}

type smsGateway struct {
	mu   sync.Mutex
	sent []map[string]string
}

func (g *smsGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var m map[string]string
	_ = json.NewDecoder(r.Body).Decode(&m)
	g.mu.Lock()
	g.sent = append(g.sent, m)
	g.mu.Unlock()
}

func newRig(t *testing.T) *rig {
	t.Helper()
	ctx := context.Background()
	db := storetest.DB(t)
	box, err := outbox.New(db, testSecret)
	if err != nil {
		t.Fatal(err)
	}
	n, err := New(db, box, testSecret, "https://stemme.kommune.no")
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{n: n, mail: smtptest.Start(t, "127.0.0.1:0", &smtptest.Mailbox{}), sms: &smsGateway{}, users: map[string]staff.User{}}
	host, port, _ := net.SplitHostPort(r.mail.Addr)
	p, _ := strconv.Atoi(port)
	smtp, err := outbox.NewSMTP(outbox.SMTPConfig{Host: host, Port: p, From: "stemme@kommune.no", TLS: outbox.TLSNone, Domain: "stemme.kommune.no"})
	if err != nil {
		t.Fatal(err)
	}
	gw := httptest.NewServer(r.sms)
	t.Cleanup(gw.Close)
	sms, _ := outbox.NewSMSGateway(gw.URL, "token")
	r.worker = outbox.NewWorker(box, map[string]outbox.Transport{outbox.Email: smtp, outbox.SMS: sms}, outbox.Options{}, nil)
	for name, g := range map[string]staff.Grant{
		"admin":   {Role: staff.RoleAdmin},
		"oppfolg": {Role: staff.RoleFollowUp, Units: []string{"fjell"}},
		"leder":   {Role: staff.RoleUnitLeader, Units: []string{"fjell"}},
		"rad":     {Role: staff.RoleCouncil},
	} {
		u, err := n.Staff.CreateUser(ctx, staff.User{Email: name + "@kommune.no", Name: strings.ToUpper(name[:1]) + name[1:], Grants: []staff.Grant{g}}, "")
		if err != nil {
			t.Fatal(err)
		}
		r.users[name] = u
	}
	if err := n.Surveys.InsertUnit(ctx, surveys.Unit{ID: "fjell", Name: "Fjell sykehjem", Kind: surveys.KindNursingHome, Active: true}); err != nil {
		t.Fatal(err)
	}
	return r
}

// deliver runs the worker and returns the mails that arrived since last.
func (r *rig) deliver(t *testing.T, seen *int) []smtptest.Mail {
	t.Helper()
	if _, err := r.worker.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	all := r.mail.Box.Mails()
	out := all[*seen:]
	*seen = len(all)
	return out
}

func TestEveryMessageReachesARealMailServer(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	seen := 0
	expect := func(what string, got []smtptest.Mail, to string, want ...string) {
		t.Helper()
		if len(got) != 1 || got[0].To != to {
			t.Fatalf("%s: %d mails %+v, want one to %s", what, len(got), got, to)
		}
		for _, w := range want {
			if !strings.Contains(got[0].Subject+"\n"+got[0].Body, w) {
				t.Errorf("%s lacks %q:\n%s\n%s", what, w, got[0].Subject, got[0].Body)
			}
		}
	}

	// A one-time staff link.
	if err := r.n.StaffLink(ctx, r.users["leder"], "https://stemme.kommune.no/passord/abc", time.Now()); err != nil {
		t.Fatal(err)
	}
	expect("staff link", r.deliver(t, &seen), "leder@kommune.no", "https://stemme.kommune.no/passord/abc", "72 timer")

	// A contact request: the follow-up staff hear of it, without the relative's data.
	received := time.Date(2026, 11, 18, 14, 0, 0, 0, surveys.Oslo) // a Wednesday: due Friday 20th
	_, req, err := r.n.Feedback.Submit(ctx, feedback.Submission{SID: "s1", Unit: "fjell", Lang: "nb", Text: "Mor får for lite hjelp",
		WantsContact: true, FollowUp: feedback.FollowUpNone,
		Contact: feedback.Contact{Name: "Kari Nordmann", Phone: "912 34 567", Lang: "nb", Time: "any"}}, received)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.n.ContactRequest(ctx, *req, received); err != nil {
		t.Fatal(err)
	}
	got := r.deliver(t, &seen)
	expect("new contact request", got, "oppfolg@kommune.no", "Fjell sykehjem", "2026-11-20", "/admin/followup/"+req.ID)
	for _, private := range []string{"Kari", "912", "for lite hjelp"} {
		if strings.Contains(got[0].Body, private) {
			t.Errorf("the mail to staff contains %q", private)
		}
	}

	// Nothing on the day it came; a reminder on Thursday; an alert after Friday.
	for _, tt := range []struct {
		at   time.Time
		kind string
	}{
		{received.Add(time.Hour), ""},
		{time.Date(2026, 11, 19, 8, 0, 0, 0, surveys.Oslo), "Påminnelse"},
		{time.Date(2026, 11, 19, 15, 0, 0, 0, surveys.Oslo), ""}, // the same reminder is not sent twice
		{time.Date(2026, 11, 21, 0, 30, 0, 0, surveys.Oslo), "Fristen er passert"},
	} {
		if err := r.n.Tick(ctx, tt.at); err != nil {
			t.Fatal(err)
		}
		got := r.deliver(t, &seen)
		if tt.kind == "" {
			if len(got) != 0 {
				t.Fatalf("tick at %s sent %d mails", tt.at, len(got))
			}
			continue
		}
		expect(tt.kind, got, "oppfolg@kommune.no", tt.kind, "2026-11-20")
	}

	// An action past its period, to its owner.
	a := &actions.Action{Title: "Faste pårørendesamtaler", Owner: "Virksomhetsleder", OwnerUser: r.users["leder"].ID, Period: "2025"}
	if err := r.n.Actions.Insert(ctx, a, received); err != nil {
		t.Fatal(err)
	}
	if err := r.n.Tick(ctx, received); err != nil {
		t.Fatal(err)
	}
	expect("due action", r.deliver(t, &seen), "leder@kommune.no", "Faste pårørendesamtaler", "/admin/actions/"+a.ID)

	// A council meeting notice with its agenda.
	m, err := r.n.Council.AddMeeting(ctx, council.Meeting{Kind: council.KindCouncil, Date: "2026-12-10", Time: "17:00", Place: "Rådhuset"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.n.Council.AddAgendaItem(ctx, council.AgendaItem{Meeting: m.ID, Kind: council.AgendaTopic, Topic: "Besøkstider i julen"}, received); err != nil {
		t.Fatal(err)
	}
	if n, err := r.n.CouncilNotice(ctx, m.ID, received); err != nil || n != 1 {
		t.Fatalf("notice: %d, %v", n, err)
	}
	expect("council notice", r.deliver(t, &seen), "rad@kommune.no", "2026-12-10", "Rådhuset", "1. Besøkstider i julen")
	if n, _ := r.n.CouncilNotice(ctx, m.ID, received); n != 1 || len(r.deliver(t, &seen)) != 0 {
		t.Fatal("the same notice was sent twice")
	}
}

func TestInvitationsByEmailAndSMSKeepOnlyTheCodesHash(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	if _, err := r.n.Surveys.InsertWave(ctx, &surveys.Wave{ID: "w", Kind: surveys.WaveUnit, Name: "Pårørendeundersøkelsen 2026",
		Instrument: "x@1", Units: []string{"fjell"}, Languages: []string{"nb"}, Opens: "2026-11-01", Closes: "2026-12-01",
		Status: surveys.WaveOpen}); err != nil {
		t.Fatal(err)
	}
	list := []byte("E-post\nola@example.no\nKari@Example.no\n")
	to, problems, err := ReadRecipients(list, "liste.csv", outbox.Email)
	if err != nil || len(problems) != 0 || len(to) != 2 || to[1] != "kari@example.no" {
		t.Fatalf("list: %v %v %v", to, problems, err)
	}
	if n, err := r.n.SendInvitations(ctx, "w", "fjell", "en", outbox.Email, to, "advisor@kommune.no", time.Now()); err != nil || n != 2 {
		t.Fatalf("send: %d, %v", n, err)
	}
	if n, err := r.n.SendInvitations(ctx, "w", "fjell", "pl", outbox.SMS, []string{"+4791234567"}, "advisor@kommune.no", time.Now()); err != nil || n != 1 {
		t.Fatalf("sms: %d, %v", n, err)
	}
	seen := 0
	mails := r.deliver(t, &seen)
	if len(mails) != 2 || len(r.sms.sent) != 1 {
		t.Fatalf("%d mails and %d SMS", len(mails), len(r.sms.sent))
	}
	codes := []string{}
	for _, m := range mails {
		i := strings.Index(m.Body, "/i?kode=")
		if i < 0 || !strings.Contains(m.Subject, "Invitation") || !strings.Contains(m.Body, "Fjell sykehjem") {
			t.Fatalf("invitation mail: %s\n%s", m.Subject, m.Body)
		}
		codes = append(codes, strings.Fields(m.Body[i+len("/i?kode="):])[0])
	}
	if !strings.Contains(r.sms.sent[0]["text"], "/i?kode=") || r.sms.sent[0]["to"] != "+4791234567" {
		t.Fatalf("SMS %v", r.sms.sent[0])
	}
	for _, c := range codes {
		if inv, err := r.n.Surveys.Invitation(ctx, c); err != nil || inv.Unit != "fjell" {
			t.Fatalf("code %s does not open the survey: %v", c, err)
		}
	}
	issued, _ := r.n.Surveys.InvitationsIssued(ctx, "w")
	if issued["fjell"] != 3 {
		t.Fatalf("issued %v, want 3 at fjell", issued)
	}
	// Once sent, no address, number or code is left in the outbox.
	msgs, _ := r.n.Outbox.List(ctx, 100)
	for _, m := range msgs {
		raw, _ := json.Marshal(m)
		for _, private := range append(codes, "example.no", "91234567") {
			if strings.Contains(string(raw), private) {
				t.Errorf("the outbox keeps %q: %s", private, raw)
			}
		}
	}
}

func TestInvitationListsAreCheckedRowByRow(t *testing.T) {
	for _, tt := range []struct {
		name, file, channel string
		data                string
		want                []string // "row message"
		ok                  int
	}{
		{"e-mail", "a.csv", outbox.Email, "e-post\nola@example.no\nikke-en-adresse\nOLA@example.no\n\nkari@example.no", []string{
			"3 invitations.send.error.email", "4 invitations.send.error.duplicate"}, 2},
		{"sms", "a.txt", outbox.SMS, "Mobil\n912 34 567\n12345\n+47 912 34 567", []string{
			"3 invitations.send.error.phone", "4 invitations.send.error.duplicate"}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			to, problems, err := ReadRecipients([]byte(tt.data), tt.file, tt.channel)
			if err != nil || len(to) != tt.ok {
				t.Fatalf("%v, %v", to, err)
			}
			var got []string
			for _, p := range problems {
				got = append(got, strconv.Itoa(p.Row)+" "+p.Message)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("problems %v, want %v", got, tt.want)
			}
		})
	}
	if _, _, err := ReadRecipients([]byte("PK\x03\x04 not really"), "a.xlsx", outbox.Email); err != ErrList {
		t.Fatalf("a broken xlsx: %v", err)
	}
}

func TestFollowUpConversationsAreRemindedOnce(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	e, problems, err := r.n.Feedback.Enrol(ctx, "fjell", feedback.FollowUpHalfYear, "2026-06-01",
		feedback.RegisterContact{Name: "Kari Nordmann", Phone: "91234567", Lang: "nb"}, true, "oppfolg@kommune.no", time.Date(2026, 6, 1, 9, 0, 0, 0, surveys.Oslo))
	if err != nil || len(problems) != 0 {
		t.Fatal(err, problems)
	}
	seen := 0
	for _, tt := range []struct {
		day  string
		want int
	}{{"2026-11-01", 0}, {"2026-11-18", 1}, {"2026-11-25", 0}} {
		d, _ := time.ParseInLocation(time.DateOnly, tt.day, surveys.Oslo)
		if err := r.n.Tick(ctx, d.Add(9*time.Hour)); err != nil {
			t.Fatal(err)
		}
		got := r.deliver(t, &seen)
		if len(got) != tt.want {
			t.Fatalf("%s: %d reminders, want %d", tt.day, len(got), tt.want)
		}
		if tt.want == 1 && (!strings.Contains(got[0].Body, "2026-12-01") || !strings.Contains(got[0].Body, "/admin/register/"+e.ID) ||
			strings.Contains(got[0].Body, "Kari")) {
			t.Fatalf("reminder:\n%s", got[0].Body)
		}
	}
}
