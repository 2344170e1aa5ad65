package surveys

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// A unit list in a spreadsheet: the first sheet, a header row, one unit per
// row. Columns are found by their heading, in Norwegian or English, in any
// order: id (nøkkel), navn, type, overordnet (parent), adresse, telefon,
// e-post, telefontid, besøkstid. Types may be written in Norwegian
// ("sykehjem", "hjemmetjeneste", …) or as Stemme's kind names.

// Limits on an uploaded unit list.
const (
	MaxUnitImportBytes = 2 << 20
	maxUnitImportRows  = 2000
)

// unitColumns maps each field to the headings that name it.
var unitColumns = []struct {
	field    string
	headings []string
	required bool
}{
	{"id", []string{"id", "nøkkel", "nokkel", "kode", "key"}, true},
	{"name", []string{"navn", "name"}, true},
	{"kind", []string{"type", "kind", "art"}, true},
	{"parent", []string{"overordnet", "parent", "under", "tilhører"}, true},
	{"address", []string{"adresse", "address", "besøksadresse"}, false},
	{"phone", []string{"telefon", "phone", "tlf"}, false},
	{"email", []string{"e-post", "epost", "email", "e-mail"}, false},
	{"phone_hours", []string{"telefontid", "telefontider", "phone hours"}, false},
	{"visiting_hours", []string{"besøkstid", "besøkstider", "visiting hours"}, false},
}

// kindNames maps what people write in the type column to a kind.
var kindNames = map[string]string{
	"kommune": KindMunicipality, "sektor": KindSector, "tjenesteområde": KindSector, "virksomhetsområde": KindSector,
	"sykehjem": KindNursingHome, "bo- og behandlingssenter": KindNursingHome,
	"hjemmetjeneste": KindHomeCare, "hjemmetjenesten": KindHomeCare, "hjemmesykepleie": KindHomeCare,
	"bofellesskap": KindHousing, "omsorgsbolig": KindHousing, "avlastning": KindRespite,
	"dagtilbud": KindDayCentre, "dagsenter": KindDayCentre, "helsestasjon": KindHealthStation,
	"skole": KindSchool, "barnehage": KindKindergarten,
}

// KindFromText reads a unit type as written in a spreadsheet.
func KindFromText(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if k, ok := kindNames[s]; ok {
		return k
	}
	return strings.ReplaceAll(s, " ", "_")
}

// UnitRow is one unit read from a row (1-based, as the spreadsheet shows it).
type UnitRow struct {
	Row  int
	Unit Unit
	// Change is "new", "changed" or "same" compared with the stored units.
	Change string
}

// UnitImportProblem is one thing wrong at a row and column letter ("" for
// the whole row). Message is a locale message id.
type UnitImportProblem struct {
	Row     int
	Column  string
	Message string
	Args    map[string]any
}

// UnitImport is what a file holds, before anything is stored.
type UnitImport struct {
	Rows     []UnitRow
	Problems []UnitImportProblem
	// Columns maps fields to column letters, for locating problems.
	Columns map[string]string
}

// UnitImportError is a file that is not a unit list at all. Message is a
// locale message id.
type UnitImportError struct {
	Message string
	Args    map[string]any
}

func (e *UnitImportError) Error() string { return "surveys: unit import: " + e.Message }

// ReadUnitSheet reads a unit list from an .xlsx file. Problems with single
// rows are collected; an unreadable file or missing columns is an error.
func ReadUnitSheet(data []byte) (*UnitImport, error) {
	if len(data) > MaxUnitImportBytes {
		return nil, &UnitImportError{Message: "units.import.error.too_big"}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, &UnitImportError{Message: "units.import.error.not_xlsx"}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, &UnitImportError{Message: "units.import.error.empty"}
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil || len(rows) < 2 {
		return nil, &UnitImportError{Message: "units.import.error.empty"}
	}
	if len(rows) > maxUnitImportRows+1 {
		return nil, &UnitImportError{Message: "units.import.error.too_many", Args: map[string]any{"Max": maxUnitImportRows}}
	}
	imp := &UnitImport{Columns: map[string]string{}}
	index := map[string]int{}
	for i, h := range rows[0] {
		h = strings.ToLower(strings.TrimSpace(h))
		for _, c := range unitColumns {
			if _, seen := index[c.field]; !seen && containsString(c.headings, h) {
				index[c.field] = i
				imp.Columns[c.field], _ = excelize.ColumnNumberToName(i + 1)
			}
		}
	}
	var missing []string
	for _, c := range unitColumns {
		if _, ok := index[c.field]; c.required && !ok {
			missing = append(missing, c.headings[1])
		}
	}
	if len(missing) > 0 {
		return nil, &UnitImportError{Message: "units.import.error.columns", Args: map[string]any{"Columns": strings.Join(missing, ", ")}}
	}
	for r, cells := range rows[1:] {
		cell := func(field string) string {
			i, ok := index[field]
			if !ok || i >= len(cells) {
				return ""
			}
			return cells[i]
		}
		if strings.TrimSpace(strings.Join(cells, "")) == "" {
			continue
		}
		u := Unit{ID: cell("id"), Name: cell("name"), Kind: KindFromText(cell("kind")), Parent: cell("parent"),
			Address: cell("address"), Phone: cell("phone"), Email: cell("email"),
			PhoneHours: cell("phone_hours"), VisitingHours: cell("visiting_hours"), Active: true}
		NormalizeUnit(&u)
		imp.Rows = append(imp.Rows, UnitRow{Row: r + 2, Unit: u})
	}
	if len(imp.Rows) == 0 {
		return nil, &UnitImportError{Message: "units.import.error.empty"}
	}
	return imp, nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Plan checks every row against the stored units and the other rows,
// locating each problem by row and column, and marks each row new, changed
// or the same. A row for a stored unit keeps that unit's active state.
func (imp *UnitImport) Plan(existing []Unit) {
	imp.Problems = nil
	set := map[string]Unit{}
	stored := map[string]Unit{}
	for _, u := range existing {
		set[u.ID], stored[u.ID] = u, u
	}
	firstRow := map[string]int{}
	for i := range imp.Rows {
		r := &imp.Rows[i]
		if old, ok := stored[r.Unit.ID]; ok {
			r.Unit.Active, r.Unit.Deactivated = old.Active, old.Deactivated
		}
		if first, dup := firstRow[r.Unit.ID]; dup && r.Unit.ID != "" {
			imp.Problems = append(imp.Problems, UnitImportProblem{r.Row, imp.Columns["id"], "units.import.error.duplicate",
				map[string]any{"ID": r.Unit.ID, "First": first}})
			continue
		}
		firstRow[r.Unit.ID] = r.Row
		set[r.Unit.ID] = r.Unit
	}
	for i := range imp.Rows {
		r := &imp.Rows[i]
		if firstRow[r.Unit.ID] != r.Row {
			continue
		}
		for _, e := range unitProblems(set, r.Unit) {
			imp.Problems = append(imp.Problems, UnitImportProblem{r.Row, imp.Columns[e.Field], e.Message, e.Args})
		}
		switch old, ok := stored[r.Unit.ID]; {
		case !ok:
			r.Change = "new"
		case old == r.Unit:
			r.Change = "same"
		default:
			r.Change = "changed"
		}
	}
}

// UnitImportProblems is the error of an import that cannot be stored.
type UnitImportProblems []UnitImportProblem

func (ps UnitImportProblems) Error() string {
	return fmt.Sprintf("surveys: the unit list has %d problem(s); nothing was stored", len(ps))
}

// ApplyUnitImport stores the rows of a checked import: it checks them again
// against the units as they are now, and stores nothing if any problem is
// found. Parents are written before their units, so a crash midway leaves a
// valid hierarchy, and running the import again completes it.
func (s *Store) ApplyUnitImport(ctx context.Context, imp *UnitImport) (added, changed int, err error) {
	return s.ApplyUnitImportWith(ctx, imp, nil)
}

// ApplyUnitImportWith is ApplyUnitImport calling commit once the rows have
// passed their checks and each row's Change is set, before the first write.
func (s *Store) ApplyUnitImportWith(ctx context.Context, imp *UnitImport, commit Commit) (added, changed int, err error) {
	unitWrites.Lock()
	defer unitWrites.Unlock()
	all, err := s.Units(ctx)
	if err != nil {
		return 0, 0, err
	}
	imp.Plan(all)
	if len(imp.Problems) > 0 {
		return 0, 0, UnitImportProblems(imp.Problems)
	}
	if err := commit.run(); err != nil {
		return 0, 0, err
	}
	merged := map[string]Unit{}
	for _, u := range all {
		merged[u.ID] = u
	}
	change := map[string]string{}
	for _, r := range imp.Rows {
		merged[r.Unit.ID] = r.Unit
		change[r.Unit.ID] = r.Change
	}
	list := make([]Unit, 0, len(merged))
	for _, u := range merged {
		list = append(list, u)
	}
	for _, t := range UnitTree(list) {
		switch change[t.ID] {
		case "new":
			if err := s.InsertUnit(ctx, t.Unit); err != nil {
				return added, changed, err
			}
			added++
		case "changed":
			if err := s.replaceUnit(ctx, t.Unit); err != nil {
				return added, changed, err
			}
			changed++
		}
	}
	return added, changed, nil
}
