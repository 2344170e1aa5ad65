package demo

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/surveys"
)

// demoAction is an action of the demo plan and the finding of the earlier
// overall wave it answers (unit "" for the municipality, a focus area).
type demoAction struct {
	actions.Action
	unit, focus string
	note        string
}

// SeedCouncil adds what follows the earlier overall survey: its results
// published, a handful of actions linked to its findings, and a relatives'
// council with members, two meetings, decisions and a dialogue meeting. It
// runs after Seed, before the server starts: it counts the demo answers
// itself (with a tallier of its own, stopped before it returns) so that the
// findings carry their values at the time of linking.
func SeedCouncil(ctx context.Context, db *mongo.Database, now time.Time) error {
	tl := analysis.NewTallier(db, slog.New(slog.DiscardHandler))
	stop := tl.Start()
	err := tl.Flush(ctx)
	stop()
	if err != nil {
		return fmt.Errorf("demo: counting the answers: %w", err)
	}
	today := now.In(surveys.Oslo)
	y := today.Year()
	earlier, current := "overall_"+strconv.Itoa(y-4), "overall_"+strconv.Itoa(y)
	ss := surveys.NewStore(db)
	if err := ss.PublishResults(ctx, earlier, today.AddDate(-4, 3, 0)); err != nil {
		return fmt.Errorf("demo: publishing %s: %w", earlier, err)
	}
	if err := ss.PublishResults(ctx, current, today.AddDate(0, 0, -7)); err != nil {
		return fmt.Errorf("demo: publishing %s: %w", current, err)
	}
	view, err := analysis.NewService(db).View(ctx, analysis.Reader{All: true}, earlier)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if view.Results == nil {
		return fmt.Errorf("demo: the results of %s are not final", earlier)
	}
	r := view.Results
	years := func(a, b int) string { return strconv.Itoa(y+a) + "–" + strconv.Itoa(y+b) }
	plan := []demoAction{
		{Action: actions.Action{Title: "Informasjonsmøte for nye pårørende ved innflytting", FocusArea: "information",
			Units: []string{"fjordtun"}, Owner: "Virksomhetsleder", Period: years(-3, -2), Status: actions.Done},
			unit: "fjordtun", focus: "information", note: "Holdt fire møter; ny informasjonsperm er tatt i bruk."},
		{Action: actions.Action{Title: "Fast kontaktperson for hver pårørende i hjemmetjenesten", FocusArea: "coordination",
			Units: []string{"hjemme_sor"}, Owner: "Virksomhetsleder hjemmetjenesten", Period: strconv.Itoa(y - 2), Status: actions.InProgress},
			unit: "hjemme_sor", focus: "coordination", note: "Innført i to av tre soner."},
		{Action: actions.Action{Title: "Pårørendekafé hver måned", FocusArea: "support",
			Owner: "Frivilligsentralen og Helse og omsorg", Period: "Løpende", Status: actions.InProgress},
			focus: "support"},
		{Action: actions.Action{Title: "Sjekkliste for planlagt samarbeid med pårørende", FocusArea: "involvement",
			Units: []string{"solbakken"}, Owner: "Pleie og omsorg", Period: years(0, 1), Status: actions.Planned},
			unit: "solbakken", focus: "involvement"},
		{Action: actions.Action{Title: "Barneansvarlig personell i alle virksomheter", FocusArea: "children",
			Owner: "Kommunalsjef helse og omsorg", Period: years(-1, 0), Status: actions.InProgress}},
	}
	as := actions.NewStore(db)
	linked := time.Date(y-4, today.Month(), 1, 10, 0, 0, 0, surveys.Oslo).AddDate(0, 4, 0)
	var ids []string
	for _, d := range plan {
		a := d.Action
		if err := as.Insert(ctx, &a, linked); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		ids = append(ids, a.ID)
		if d.focus != "" {
			// A finding too small to show cannot be linked; the demo
			// then simply has an action without one.
			if f, err := actions.NewFinding(r, d.unit, "", d.focus); err == nil {
				if err := as.AddFinding(ctx, a.ID, f, linked); err != nil {
					return fmt.Errorf("demo: %w", err)
				}
			}
		}
		if d.note != "" {
			if _, err := as.AddNote(ctx, a.ID, "radgiver@demo.kommune.no", d.note, today.AddDate(0, -6, 0)); err != nil {
				return fmt.Errorf("demo: %w", err)
			}
		}
	}
	return seedCouncilMeetings(ctx, db, today, ids, earlier)
}

func seedCouncilMeetings(ctx context.Context, db *mongo.Database, today time.Time, actionIDs []string, wave string) error {
	cs := council.NewStore(db)
	if err := cs.SaveSettings(ctx, council.Settings{
		Contact: "Pårørenderådet møtes fire ganger i året. Du kan sende saker til rådet på e-post eller ringe rådets sekretær i Servicetorget.",
		Email:   "parorenderadet@demo.kommune.no", Phone: "55 00 00 00"}); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	for _, m := range []council.Member{{Name: "Kari Nordmann", Role: "leder"}, {Name: "Ali Hassan", Role: "pårørenderepresentant"},
		{Name: "Ingrid Berg", Role: "pårørenderepresentant"}} {
		if _, err := cs.AddMember(ctx, m, today); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	past, err := cs.AddMeeting(ctx, council.Meeting{Kind: council.KindCouncil, Date: surveys.LocalDate(today.AddDate(0, -4, 0)),
		Time: "17:00", Place: "Rådhuset, møterom Fjorden", Title: "Resultatene fra pårørendeundersøkelsen",
		Minutes: "Rådet gikk gjennom de publiserte resultatene og tiltakene. Rådet ba om at informasjon til nye pårørende følges opp i alle sykehjem."})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	items := []council.AgendaItem{
		{Kind: council.AgendaFinding, Finding: actions.FindingKey(wave, "fjordtun", "", "information")},
		{Kind: council.AgendaAction, Action: actionIDs[1]},
		{Kind: council.AgendaTopic, Topic: "Besøkstider i helgene"},
	}
	for i, it := range items {
		it.Meeting = past.ID
		if _, err := cs.AddAgendaItem(ctx, it, today.AddDate(0, -5, i)); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	for _, d := range []council.Decision{
		{Text: "Kvalitetsrådgiver legger fram status for kontaktpersoner i hjemmetjenesten.", Responsible: "Kvalitetsrådgiver",
			FollowUp: surveys.LocalDate(today.AddDate(0, -1, 0))},
		{Text: "Rådet sender innspill om besøkstider til virksomhetslederne.", Responsible: "Rådets leder",
			FollowUp: surveys.LocalDate(today.AddDate(0, 2, 0))},
	} {
		d.Meeting = past.ID
		if _, err := cs.AddDecision(ctx, d, today.AddDate(0, -4, 0)); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	for _, m := range []council.Meeting{
		{Kind: council.KindCouncil, Date: surveys.LocalDate(today.AddDate(0, 2, 0)), Time: "17:00", Place: "Rådhuset, møterom Fjorden"},
		{Kind: council.KindDialogue, Date: surveys.LocalDate(today.AddDate(0, 3, 0)), Time: "18:00", Place: "Biblioteket, Storsalen",
			Title: "Åpent dialogmøte: Hva er viktig for deg som pårørende?"},
	} {
		if _, err := cs.AddMeeting(ctx, m); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	return nil
}
