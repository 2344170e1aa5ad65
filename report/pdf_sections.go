package report

import "strings"

func (d *doc) surveys() {
	r := d.r
	d.heading(1, r.T("report.surveys.heading"))
	if len(r.Surveys) == 0 {
		d.para(r.T("report.surveys.none", "Year", r.Year))
	}
	if r.Unpublished > 0 {
		d.note(r.T("report.surveys.unpublished", "Count", r.Unpublished))
	}
	for _, s := range r.Surveys {
		d.heading(2, s.Name)
		d.para(r.T("report.survey.period", "Period", s.Period, "Published", s.Published))
		d.para(s.Answered + " " + s.Coverage)
		if s.Previous != "" {
			d.note(r.T("report.survey.compared", "Previous", s.Previous))
		} else {
			d.note(r.T("report.survey.first"))
		}
		d.indexChart(r.T("report.survey.focus_chart"), s.Focus, s.Previous)
		rows := make([][]cell, 0, len(s.Focus))
		for _, m := range s.Focus {
			rows = append(rows, d.measureCells(m))
		}
		d.table([]column{{w: 0.4}, {w: 0.12, align: "R"}, {w: 0.16, align: "R"}, {w: 0.32}},
			[]string{r.T("report.survey.focus"), r.T("report.survey.index"), r.T("report.survey.interval"), r.T("report.survey.change")}, rows)
		d.items(r.T("report.survey.best"), s.Best)
		d.items(r.T("report.survey.worst"), s.Worst)
		d.units(s)
	}
}

// measureCells is a focus area's row: hidden ones say so in one cell.
func (d *doc) measureCells(m Measure) []cell {
	if m.Hidden {
		return []cell{{text: m.Name}, {text: d.r.T("report.hidden"), muted: true}}
	}
	return []cell{{text: m.Name}, {text: m.Index, bold: true}, {text: m.Interval}, {text: m.Change}}
}

func (d *doc) items(title string, ms []Measure) {
	if len(ms) == 0 {
		return
	}
	rows := make([][]cell, 0, len(ms))
	for _, m := range ms {
		rows = append(rows, []cell{{text: m.Name}, {text: m.Index, bold: true}, {text: m.Positive}})
	}
	d.table([]column{{w: 0.7}, {w: 0.12, align: "R"}, {w: 0.18, align: "R"}},
		[]string{title, d.r.T("report.survey.index"), d.r.T("report.survey.positive")}, rows)
}

// units is the heat map: one row per unit, a shaded index per focus area;
// a hidden unit has one cell saying it is hidden and no figure at all.
func (d *doc) units(s Survey) {
	r := d.r
	n := len(s.FocusNames)
	cols := []column{{w: 0.26}, {w: 0.08, align: "R"}}
	head := []string{r.T("report.survey.unit"), r.T("report.survey.respondents")}
	for _, name := range s.FocusNames {
		cols = append(cols, column{w: 0.66 / float64(n), align: "C", rotate: true})
		head = append(head, name)
	}
	var rows [][]cell
	for _, u := range s.Units {
		if u.Hidden {
			rows = append(rows, []cell{{text: u.Name}, {text: r.T("report.hidden"), muted: true, fill: &colTint}})
			continue
		}
		row := []cell{{text: u.Name}, {text: u.Respondents}}
		for _, c := range u.Cells {
			if c.Hidden {
				row = append(row, cell{text: "–", muted: true, fill: &colTint})
				continue
			}
			row = append(row, heatCell(c.Text, c.Value))
		}
		rows = append(rows, row)
	}
	d.heading(2, r.T("report.survey.units_heading", "Name", s.Name))
	d.note(r.T("report.survey.units_intro"))
	d.table(cols, head, rows)
}

func (d *doc) feedback() {
	r, fb := d.r, d.r.Feedback
	d.heading(1, r.T("report.feedback.heading"))
	d.para(fb.Period)
	if fb.Empty {
		return
	}
	d.para(r.T("report.feedback.total", "Total", fb.Total))
	// The chart writes each theme's count beside its bar: no table is needed.
	d.countChart(r.T("report.feedback.themes"), fb.Themes)
	var rows [][]cell
	d.heading(2, r.T("report.feedback.units_heading"))
	switch {
	case fb.UnitsLeftOut:
		d.para(r.T("report.feedback.units_left_out", "K", Threshold))
	case len(fb.Units) > 0:
		d.note(r.T("report.feedback.units_intro", "K", Threshold))
		rows = rows[:0]
		for _, u := range fb.Units {
			rows = append(rows, []cell{{text: u.Name, bold: u.Other}, {text: u.N}})
		}
		d.table([]column{{w: 0.7}, {w: 0.3, align: "R"}}, []string{r.T("report.survey.unit"), r.T("report.feedback.count")}, rows)
	}
	d.heading(2, r.T("report.contact.heading"))
	d.para(fb.Contact.Text)
	if !fb.Contact.Has {
		return
	}
	d.note(r.T("report.contact.explained"))
	if fb.Contact.UnitsLeftOut {
		d.para(r.T("report.contact.units_left_out", "K", Threshold))
		return
	}
	rows = rows[:0]
	for _, u := range fb.Contact.Units {
		rows = append(rows, []cell{{text: u.Name, bold: u.Other}, {text: u.Within}, {text: u.Total}, {text: u.Percent, bold: true}})
	}
	d.table([]column{{w: 0.46}, {w: 0.18, align: "R"}, {w: 0.18, align: "R"}, {w: 0.18, align: "R"}},
		[]string{r.T("report.survey.unit"), r.T("report.contact.within"), r.T("report.contact.total"), r.T("report.contact.percent")}, rows)
}

func (d *doc) actions() {
	r := d.r
	d.heading(1, r.T("report.actions.heading"))
	d.para(r.Actions.Counts)
	if len(r.Actions.Rows) == 0 {
		return
	}
	d.note(r.T("report.actions.as_of", "Date", r.Generated))
	rows := make([][]cell, 0, len(r.Actions.Rows))
	for _, a := range r.Actions.Rows {
		what := a.Title
		if a.Focus != "" {
			what += "\n" + a.Focus
		}
		what += "\n" + a.Units
		for _, e := range a.Effects {
			what += "\n• " + e
		}
		status := a.Status
		if a.Overdue {
			status += "\n" + r.T("report.actions.overdue")
		}
		rows = append(rows, []cell{{text: what}, {text: a.Owner}, {text: a.Period}, {text: status, bold: a.Overdue}})
	}
	d.table([]column{{w: 0.52}, {w: 0.2}, {w: 0.12}, {w: 0.16}},
		[]string{r.T("report.actions.action"), r.T("report.actions.owner"), r.T("report.actions.period"), r.T("report.actions.status")}, rows)
}

func (d *doc) council() {
	r := d.r
	d.heading(1, r.T("report.council.heading"))
	d.para(r.Council.Counts)
	for _, m := range r.Council.Meetings {
		title := strings.TrimSpace(m.Date + " · " + m.Kind)
		d.heading(2, title)
		line := m.Place
		if m.Title != "" {
			line = m.Title + ". " + line
		}
		d.para(line)
		if len(m.Decisions) == 0 {
			d.note(r.T("report.council.no_decisions"))
			continue
		}
		rows := make([][]cell, 0, len(m.Decisions))
		for _, dec := range m.Decisions {
			rows = append(rows, []cell{{text: dec.Text}, {text: dec.Responsible}, {text: dec.FollowUp}, {text: dec.Status, bold: dec.Overdue}})
		}
		d.table([]column{{w: 0.5}, {w: 0.2}, {w: 0.14}, {w: 0.16}},
			[]string{r.T("report.council.decision"), r.T("report.council.responsible"), r.T("report.council.follow_up"), r.T("report.council.status")}, rows)
	}
}
