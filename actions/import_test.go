package actions

import (
	"errors"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
)

// workbook builds an .xlsx file with one sheet of rows.
func workbook(t *testing.T, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		for j, v := range row {
			c, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellStr("Sheet1", c, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func builtinInstrument(t *testing.T) *surveys.Instrument {
	t.Helper()
	ins, err := builtin.Instruments()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		if in.Key == "parorende" {
			return in
		}
	}
	t.Fatal("no built-in parorende")
	return nil
}

// seedPlan is shaped like the plan in ../shared/seeds: headings per
// innsatsområde, a goals table, then Tiltak / Ansvarlig eier / Tid.
var seedPlan = [][]string{
	{"HANDLINGSPLAN"},
	{"Innsatsområde 1 Ivaretagelse og støtte til pårørende"},
	{"Hvordan vil vi ha det?", "Hvordan vil vi gjøre det?"},
	{"Pårørende skal bli møtt med respekt", "Tidlig identifisering styrkes"},
	{"Tiltak", "Ansvarlig eier", "Tid"},
	{"Kartleggingsverktøy for pårørende benyttes i tjenester der hvor dette er aktuelt", "Velferdstjenestene", "2021-2025"},
	{"Innbyggertorget ny kommunegård som arena for informasjon og veiledning for pårørende", "Velferdstjenestene", "2022 - 2025"},
	{},
	{"Innsatsområde 2 Pårørendesamarbeid og involvering"},
	{"Tiltak", "Ansvarlig eier", "Tid"},
	{"Sjekkliste for planlagt og strukturert samarbeid med voksne pårørende utprøves", "Pleie og omsorg, Helse og sosial", "2021–2023"},
	{"Innsatsområde 3 Barn og unge som pårørende"},
	{"Tiltak", "Ansvarlig eier", "Tid"},
	{"Etablere nettverk for barneansvarlige i kommunen", "Pleie og omsorg", "Løpende"},
}

func TestReadPlanShapedLikeTheSeeds(t *testing.T) {
	in := builtinInstrument(t)
	plan, err := ReadPlan(workbook(t, seedPlan), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Problems) != 0 {
		t.Fatalf("problems in a good plan: %+v", plan.Problems)
	}
	wantHeadings := []struct {
		row        int
		text, area string
	}{
		{2, "Ivaretagelse og støtte til pårørende", "support"},
		{9, "Pårørendesamarbeid og involvering", "involvement"},
		{12, "Barn og unge som pårørende", "children"},
	}
	if len(plan.Headings) != len(wantHeadings) {
		t.Fatalf("headings %+v", plan.Headings)
	}
	for i, w := range wantHeadings {
		h := plan.Headings[i]
		if h.Row != w.row || h.Text != w.text || h.Suggested != w.area {
			t.Errorf("heading %d = %+v, want row %d %q → %s", i, h, w.row, w.text, w.area)
		}
	}
	if len(plan.Rows) != 4 {
		t.Fatalf("rows %+v, want 4 actions (goals rows are not actions)", plan.Rows)
	}
	r := plan.Rows[2]
	if r.Row != 11 || r.Heading != 1 || r.Owner != "Pleie og omsorg, Helse og sosial" || r.Period != "2021–2023" {
		t.Errorf("row 11 read as %+v", r)
	}
	as, err := plan.Actions(map[int]string{0: "support", 1: "involvement", 2: "children"})
	if err != nil {
		t.Fatal(err)
	}
	if as[3].FocusArea != "children" || as[3].Period != "Løpende" || as[3].Status != Planned {
		t.Errorf("last action %+v", as[3])
	}
	if _, err := plan.Actions(map[int]string{0: "support"}); !errors.Is(err, ErrUnmapped) {
		t.Errorf("unconfirmed headings: %v, want ErrUnmapped", err)
	}
}

func TestReadPlanProblems(t *testing.T) {
	in := builtinInstrument(t)
	rows := [][]string{
		{"Tiltak", "Ansvarlig eier", "Tid"},
		{"Uten overskrift", "Rådgiver", "2025"},
		{"Innsatsområde 1 Noe helt annet"},
		{"Tiltak", "Ansvarlig eier"},
		{"", "Rådgiver"},
		{"Innsatsområde 2 Informasjon"},
		{"Tiltak", "Ansvarlig eier", "Tid"},
		{"Tiltak uten eier", "", "snart"},
	}
	plan, err := ReadPlan(workbook(t, rows), in)
	if err != nil {
		t.Fatal(err)
	}
	want := []ImportProblem{
		{Row: 1, Message: "actions.import.problem.no_heading"},
		{Row: 4, Message: "actions.import.problem.no_period_column"},
		{Row: 5, Column: "A", Message: "actions.import.problem.no_title"},
		{Row: 5, Column: "", Message: "actions.import.problem.period"},
		{Row: 8, Column: "B", Message: "actions.import.problem.no_owner"},
		{Row: 8, Column: "C", Message: "actions.import.problem.period"},
	}
	if len(plan.Problems) != len(want) {
		t.Fatalf("problems %+v, want %d", plan.Problems, len(want))
	}
	for i, w := range want {
		p := plan.Problems[i]
		if p.Row != w.Row || p.Column != w.Column || p.Message != w.Message || p.Sheet != "Sheet1" {
			t.Errorf("problem %d = %+v, want %+v", i, p, w)
		}
	}
	if plan.Headings[0].Suggested != "" {
		t.Errorf("a heading like nothing was matched to %s", plan.Headings[0].Suggested)
	}
	if plan.Headings[1].Suggested != "information" {
		t.Errorf("Informasjon matched to %q", plan.Headings[1].Suggested)
	}
	if _, err := plan.Actions(map[int]string{0: "", 1: "information"}); err == nil {
		t.Error("a plan with problems gave actions")
	}
}

func TestReadPlanMalformed(t *testing.T) {
	in := builtinInstrument(t)
	tests := []struct {
		name string
		data []byte
		msg  string
	}{
		{"not a workbook", []byte("Tiltak;Ansvarlig eier;Tid\nNoe;Noen;2025\n"), "actions.import.error.not_xlsx"},
		{"empty", nil, "actions.import.error.not_xlsx"},
		{"no Tiltak table", workbook(t, [][]string{{"Navn", "Telefon"}, {"Kari", "123"}}), "actions.import.error.no_table"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := ReadPlan(tt.data, in)
			var me *MalformedError
			if !errors.As(err, &me) || me.Message != tt.msg {
				t.Fatalf("error %v, want %s", err, tt.msg)
			}
			if plan != nil {
				t.Error("a malformed file gave a plan")
			}
		})
	}
}
