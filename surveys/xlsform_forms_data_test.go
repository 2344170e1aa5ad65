package surveys_test

import (
	"slices"
	"testing"

	"github.com/stemme/stemme/surveys"
)

// The test forms: one construct each, in the words and layout of
// KoboToolbox and ODK authors (several in English or Swahili only).
var testForms = []testForm{
	{
		file: "single_colon_labels.xlsx", // pyxform's older label:English (en), English only
		sheets: []sheet{
			{"survey", [][]string{
				{"type", "name", "label:English (en)", "hint:English (en)", "required"},
				{"select_one yes_no", "visited", "Did you visit your relative in the last month?", "Count visits in person only.", "yes"},
				{"integer", "visits", "How many times?", "", "yes"},
				{"text", "comments", "Anything else you want to tell us?"},
			}},
			{"choices", [][]string{
				{"list_name", "name", "label:English (en)"},
				{"yes_no", "yes", "Yes"}, {"yes_no", "no", "No"},
			}},
			{"settings", [][]string{{"form_title", "form_id"}, {"Visits", "visits"}}},
		},
		check: func(t *testing.T, imp *surveys.XLSFormImport) {
			in := imp.Instrument
			if !slices.Equal(in.LanguageCodes(), []string{"en"}) || in.Key != "visits" || in.Title["en"] != "Visits" {
				t.Errorf("languages %v, key %q, title %v", in.LanguageCodes(), in.Key, in.Title)
			}
			if q := question(t, in, "visited"); q.Type != surveys.TypeYesNo || !q.Required || q.Help["en"] == "" {
				t.Errorf("visited: %+v", q)
			}
			wantWarnings(t, imp)
		},
	},
	{
		file: "language_names.xlsx", // label::english and label::Kiswahili, no codes
		sheets: []sheet{
			{"survey", [][]string{
				{"type", "name", "label::english", "label::Kiswahili", "hint::english", "hint::Kiswahili"},
				{"select_one satisfied", "care", "How satisfied are you with the care?", "Umeridhika kiasi gani na huduma?",
					"Think of the last three months.", "Fikiria miezi mitatu iliyopita."},
				{"text", "why", "Why?", "Kwa nini?"},
			}},
			{"choices", [][]string{
				{"list_name", "name", "label::english", "label::Kiswahili"},
				{"satisfied", "very", "Very satisfied", "Nimeridhika sana"},
				{"satisfied", "somewhat", "Somewhat satisfied", "Nimeridhika kiasi"},
				{"satisfied", "not", "Not satisfied", "Sijaridhika"},
			}},
			{"settings", [][]string{{"form_title", "form_id", "default_language"}, {"Care", "care", "english"}}},
		},
		check: func(t *testing.T, imp *surveys.XLSFormImport) {
			in := imp.Instrument
			if !slices.Equal(in.LanguageCodes(), []string{"en", "sw"}) {
				t.Errorf("languages %v, want en and sw", in.LanguageCodes())
			}
			if q := question(t, in, "care"); q.Text["sw"] != "Umeridhika kiasi gani na huduma?" || q.Type != surveys.TypeSingle {
				t.Errorf("care: %+v", q)
			}
			// The title exists in English only: Swahili is incomplete, not refused.
			wantWarnings(t, imp, "settings!2:2 text_missing")
		},
	},
	{
		file: "Ziara ya nyumbani.xlsx", // no settings sheet, Swahili only: pyxform takes the id from the file name
		sheets: []sheet{
			{"survey", [][]string{
				{"type", "name", "label::Kiswahili (sw)"},
				{"note", "karibu", "Asante kwa kushiriki."},
				{"select_multiple huduma", "huduma_zilizotumika", "Ni huduma gani mlizotumia?"},
			}},
			{"choices", [][]string{
				{"list_name", "name", "label::Kiswahili (sw)"},
				{"huduma", "nyumbani", "Huduma ya nyumbani"},
				{"huduma", "mapumziko", "Huduma ya mapumziko"},
			}},
		},
		check: func(t *testing.T, imp *surveys.XLSFormImport) {
			in := imp.Instrument
			if in.Key != "ziara_ya_nyumbani" || in.Title["sw"] != "ziara_ya_nyumbani" || in.Version != 1 || !slices.Equal(in.LanguageCodes(), []string{"sw"}) {
				t.Errorf("key %q, title %v, version %d, languages %v", in.Key, in.Title, in.Version, in.LanguageCodes())
			}
			wantWarnings(t, imp, "settings form_id_from_file", "settings!2:2 title_from_key")
		},
	},
	{
		file: "constraints.xlsx", // constraint and constraint_message, English and Swahili
		sheets: []sheet{
			{"survey", [][]string{
				{"type", "name", "label::English (en)", "label::Swahili (sw)", "constraint", "constraint_message::English (en)", "constraint_message::Swahili (sw)", "required"},
				{"integer", "age", "How old are you?", "Una umri gani?", ". >= 13 and . <= 120", "Enter an age from 13 to 120.", "Andika umri kati ya 13 na 120.", "yes"},
				{"integer", "years_caring", "For how many years have you been a carer?", "Umekuwa mlezi kwa miaka mingapi?", ". <= ${age}", "Cannot be more than your age.", "Haiwezi kuzidi umri wako."},
				{"select_multiple help", "help", "What help do you get?", "Unapata msaada gani?", "not(selected(., 'none') and selected(., 'respite'))", "“None” cannot go with other answers.", "“Hakuna” haiwezi kwenda na majibu mengine."},
			}},
			{"choices", [][]string{
				{"list_name", "name", "label::English (en)", "label::Swahili (sw)"},
				{"help", "respite", "Respite care", "Huduma ya mapumziko"},
				{"help", "none", "None", "Hakuna"},
			}},
			{"settings", [][]string{{"form_title", "form_id", "default_language"}, {"Carers", "carers", "English (en)"}}},
		},
		check: func(t *testing.T, imp *surveys.XLSFormImport) {
			in := imp.Instrument
			age := question(t, in, "age")
			if age.Constraint != ". >= 13 and . <= 120" || age.ConstraintMsg["sw"] != "Andika umri kati ya 13 na 120." {
				t.Errorf("age: %+v", age)
			}
			_, errs := in.ParseAnswers(map[string][]string{"age": {"12"}, "help": {"none", "respite"}}, in.Pages)
			if len(errs) != 2 || errs[0].Key != "age" || errs[0].Message != "survey.error.constraint" || errs[0].Text["en"] == "" || errs[1].Key != "help" {
				t.Errorf("constraint errors %+v", errs)
			}
			_, errs = in.ParseAnswers(map[string][]string{"age": {"40"}, "years_caring": {"41"}}, in.Pages)
			if len(errs) != 1 || errs[0].Key != "years_caring" {
				t.Errorf("years_caring above age: %+v", errs)
			}
		},
	},
	{
		file: "required_if.xlsx", // required with an expression, English only
		sheets: []sheet{
			{"survey", [][]string{
				{"type", "name", "label::English (en)", "required", "relevant"},
				{"select_one yn", "contact", "May we contact you?", "TRUE"},
				{"text", "phone", "Your phone number or e-mail", "${contact} = 'yes'"},
				{"text", "best_time", "When is it best to reach you?", "false()", "${contact} = 'yes'"},
			}},
			{"choices", [][]string{{"list_name", "name", "label::English (en)"}, {"yn", "yes", "Yes"}, {"yn", "no", "No"}}},
			{"settings", [][]string{{"form_title", "form_id", "version"}, {"Contact", "contact", "2024061201"}}},
		},
		check: func(t *testing.T, imp *surveys.XLSFormImport) {
			in := imp.Instrument
			if q := question(t, in, "phone"); q.Required || q.RequiredIf != "${contact} = 'yes'" {
				t.Errorf("phone: %+v", q)
			}
			if _, errs := in.ParseAnswers(map[string][]string{"contact": {"yes"}}, in.Pages); len(errs) != 1 || errs[0].Key != "phone" {
				t.Errorf("yes without a phone: %+v", errs)
			}
			if _, errs := in.ParseAnswers(map[string][]string{"contact": {"no"}}, in.Pages); len(errs) != 0 {
				t.Errorf("no: %+v", errs)
			}
			wantWarnings(t, imp)
		},
	},
	{
		file: "or_other.xlsx", // select_one … or_other, as pyxform expands it
		sheets: []sheet{
			{"survey", [][]string{
				{"type", "name", "label::English (en)", "label::Norsk bokmål (nb)"},
				{"select_one relation or_other", "relation", "Who do you care for?", "Hvem er du pårørende til?"},
				{"select_multiple services or other", "services", "Which services?", "Hvilke tjenester?"},
			}},
			{"choices", [][]string{
				{"list_name", "name", "label::English (en)", "label::Norsk bokmål (nb)"},
				{"relation", "parent", "A parent", "Mor eller far"},
				{"relation", "partner", "A partner", "Ektefelle eller samboer"},
				{"services", "home", "Home care", "Hjemmetjenester"},
				{"services", "nursing", "Nursing home", "Sykehjem"},
			}},
			{"settings", [][]string{{"form_title", "form_id", "default_language"}, {"Relatives", "relatives", "English (en)"}}},
		},
		check: func(t *testing.T, imp *surveys.XLSFormImport) {
			in := imp.Instrument
			l, _ := in.List("relation")
			if last := l.Choices[len(l.Choices)-1]; last.Value != "other" || last.Label["nb"] != "Annet" || last.Label["en"] != "Other" {
				t.Errorf("relation choices %+v", l.Choices)
			}
			other := question(t, in, "relation_other")
			if other.Type != surveys.TypeText || other.ShowIf != "selected(${relation}, 'other')" || other.Text["en"] != "Specify other." {
				t.Errorf("relation_other %+v", other)
			}
			if q := question(t, in, "services_other"); q.ShowIf != "selected(${services}, 'other')" {
				t.Errorf("services_other %+v", q)
			}
			var keys []string
			for _, q := range in.Questions() {
				keys = append(keys, q.Key)
			}
			if !slices.Equal(keys, []string{"relation", "relation_other", "services", "services_other"}) {
				t.Errorf("order %v", keys)
			}
			// The title is in form_title only, so in English.
			wantWarnings(t, imp, "survey!A2 or_other_added", "survey!A3 or_other_added", "settings!2:2 text_missing")
		},
	},
	{
		file: "choice_filter.xlsx", // cascading selects: a county column on each town
		sheets: []sheet{
			{"survey", [][]string{
				{"type", "name", "label::English (en)", "choice_filter"},
				{"select_one county", "county", "Which county do you live in?"},
				{"select_one town", "town", "Which municipality?", "county=${county}"},
				{"select_multiple town", "also", "Any other municipality?", "county=${county} and name != ${town}"},
			}},
			{"choices", [][]string{
				{"list_name", "name", "label::English (en)", "county"},
				{"county", "agder", "Agder"}, {"county", "vestland", "Vestland"},
				{"town", "arendal", "Arendal", "agder"}, {"town", "kristiansand", "Kristiansand", "agder"},
				{"town", "bergen", "Bergen", "vestland"}, {"town", "voss", "Voss", "vestland"},
			}},
			{"settings", [][]string{{"form_title", "form_id"}, {"Where", "where"}}},
		},
		check: func(t *testing.T, imp *surveys.XLSFormImport) {
			in := imp.Instrument
			town := question(t, in, "town")
			if town.ChoiceFilter != "county = ${county}" {
				t.Errorf("filter %q", town.ChoiceFilter)
			}
			var got []string
			for _, c := range in.Choices(town, surveys.Answers{"county": surveys.ChoiceAnswer("vestland")}) {
				got = append(got, c.Value)
			}
			if !slices.Equal(got, []string{"bergen", "voss"}) {
				t.Errorf("towns in Vestland %v", got)
			}
			if _, errs := in.ParseAnswers(map[string][]string{"county": {"agder"}, "town": {"voss"}}, in.Pages); len(errs) != 1 || errs[0].Message != "survey.error.choice" {
				t.Errorf("a town outside the county: %+v", errs)
			}
			wantWarnings(t, imp)
		},
	},
	{
		file: "case_insensitive_names.xlsx", // names in capitals and with hyphens, referred to as written
		sheets: []sheet{
			{"survey", [][]string{
				{"type", "name", "label::English (en)", "relevant"},
				{"integer", "Age", "How old are you?"},
				{"select_one yn", "Has-Children", "Do you have children under 18?", "${Age} >= 18"},
				{"integer", "NumberOfChildren", "How many?", "${Has-Children} = 'yes'"},
			}},
			{"choices", [][]string{{"list_name", "name", "label::English (en)"}, {"yn", "yes", "Yes"}, {"yn", "no", "No"}}},
			{"settings", [][]string{{"form_title", "form_id"}, {"Family", "Family_Survey"}}},
		},
		check: func(t *testing.T, imp *surveys.XLSFormImport) {
			in := imp.Instrument
			if q := question(t, in, "numberofchildren"); q.ShowIf != "${has_children} = 'yes'" || in.Key != "family_survey" {
				t.Errorf("numberofchildren %+v, key %q", q, in.Key)
			}
			wantWarnings(t, imp, "survey!B2 name_normalised", "survey!B3 name_normalised", "survey!B4 name_normalised", "settings!B2 form_id_normalised")
		},
	},
	{
		file: "group_relevant.xlsx", // relevant on a group, and a group inside a group
		sheets: []sheet{
			{"survey", [][]string{
				{"type", "name", "label::English (en)", "relevant", "appearance"},
				{"select_one yn", "children", "Are there children under 18 in the family?"},
				{"begin_group", "about_children", "The children", "${children} = 'yes'", "field-list"},
				{"select_one yn", "children_informed", "Have the children been given information?"},
				{"begin group", "school", "School", "${children_informed} = 'yes'"},
				{"select_one yn", "school_knows", "Does the school know?"},
				{"end group"},
				{"end_group"},
			}},
			{"choices", [][]string{{"list_name", "name", "label::English (en)"}, {"yn", "yes", "Yes"}, {"yn", "no", "No"}}},
			{"settings", [][]string{{"form_title", "form_id"}, {"Children", "children"}}},
		},
		check: func(t *testing.T, imp *surveys.XLSFormImport) {
			in := imp.Instrument
			if q := question(t, in, "children_informed"); q.ShowIf != "${children} = 'yes'" {
				t.Errorf("children_informed %q", q.ShowIf)
			}
			if q := question(t, in, "school_knows"); q.ShowIf != "${children} = 'yes' and ${children_informed} = 'yes'" {
				t.Errorf("school_knows %q", q.ShowIf)
			}
			if q := question(t, in, "school"); q.Type != surveys.TypeInfo || q.Text["en"] != "School" {
				t.Errorf("the inner group's label %+v", q)
			}
			if len(in.Pages) != 2 || in.Pages[1].Key != "about_children" {
				t.Errorf("pages %+v", in.Pages)
			}
			wantWarnings(t, imp, "survey!A5 group_flattened")
		},
	},
	{
		file: "appearances.xlsx", // layout appearances are ignored with a warning, never refused
		sheets: []sheet{
			{"survey", [][]string{
				{"type", "name", "label::English (en)", "appearance"},
				{"begin_group", "page", "Your experience", "table-list"},
				{"select_one agree", "informed", "I am informed", "likert"},
				{"select_one agree", "heard", "I am heard", "minimal"},
				{"select_one agree", "respected", "I am respected", "compact"},
				{"select_one agree", "involved", "I am involved", "horizontal-compact"},
				{"select_multiple agree", "many", "Pick any", "columns-pack quick"},
				{"end_group"},
				{"text", "story", "Tell us more", "multiline"},
				{"text", "postcode", "Postcode", "numbers"},
				{"integer", "count", "How many?", "thousands-sep"},
			}},
			{"choices", [][]string{{"list_name", "name", "label::English (en)"},
				{"agree", "agree", "Agree"}, {"agree", "neutral", "Neither"}, {"agree", "disagree", "Disagree"}}},
			{"settings", [][]string{{"form_title", "form_id", "style"}, {"Experience", "experience", "pages theme-grid"}}},
		},
		check: func(t *testing.T, imp *surveys.XLSFormImport) {
			if q := question(t, imp.Instrument, "story"); q.Type != surveys.TypeLongText {
				t.Errorf("story %+v", q)
			}
			wantWarnings(t, imp, "survey!D2 appearance_ignored", "survey!D3 appearance_ignored", "survey!D4 appearance_ignored",
				"survey!D5 appearance_ignored", "survey!D6 appearance_ignored", "survey!D7 appearance_ignored",
				"survey!D10 appearance_ignored", "survey!D11 appearance_ignored")
		},
	},
	{
		file: "kobo_export.xlsx", // as KoboToolbox exports a form: $kuid columns, metadata rows, generated ids
		sheets: []sheet{
			{"survey", [][]string{
				{"type", "$kuid", "name", "label::English (en)", "label::Swahili (sw)", "hint::English (en)", "required", "$autoname"},
				{"start", "aB1xY2z", "start"},
				{"end", "cD3wV4u", "end"},
				{"today", "eF5tS6r", "today"},
				{"select_one mx7pd21", "gH7qP8o", "overall", "Overall, how satisfied are you?", "Kwa ujumla, umeridhika kiasi gani?", "", "true", "overall"},
				{"text", "iJ9nM0l", "Comment", "Anything else?", "Kitu kingine?", "Optional", "false", "Comment"},
			}},
			{"choices", [][]string{
				{"list_name", "$kuid", "name", "label::English (en)", "label::Swahili (sw)", "$autovalue"},
				{"mx7pd21", "kL1", "satisfied", "Satisfied", "Nimeridhika", "satisfied"},
				{"mx7pd21", "kL2", "dissatisfied", "Dissatisfied", "Sijaridhika", "dissatisfied"},
			}},
			{"settings", [][]string{{"form_title", "form_id", "version", "default_language", "style"},
				{"Kobo feedback", "aLYLkU4xr9y3JmCrYHnV7S", "vKk6K4iKbuWtRh8sGLpJzo", "English (en)", "pages"}}},
		},
		check: func(t *testing.T, imp *surveys.XLSFormImport) {
			in := imp.Instrument
			if in.Key != "alylku4xr9y3jmcryhnv7s" || !slices.Equal(in.LanguageCodes(), []string{"en", "sw"}) || in.QuestionCount() != 2 {
				t.Errorf("key %q, languages %v, questions %v", in.Key, in.LanguageCodes(), in.Questions())
			}
			if q := question(t, in, "comment"); q.Help["sw"] != "" || len(q.Help) != 1 {
				t.Errorf("comment help %v", q.Help)
			}
			wantWarnings(t, imp, "survey!1:1 column_missing", "survey!A2 type_time_metadata", "survey!A3 type_time_metadata",
				"survey!A4 type_time_metadata", "survey!C6 name_normalised",
				"settings!2:2 text_missing", "settings!B2 form_id_normalised", "settings!C2 version_ignored")
		},
	},
	{
		file: "lithuanian.xlsx", // any BCP 47 language: Lithuanian beside bokmål
		sheets: []sheet{
			{"survey", [][]string{
				{"type", "name", "label::Norsk bokmål (nb)", "label::Lietuvių (lt)"},
				{"select_one yn", "informed", "Får du nok informasjon?", "Ar gaunate pakankamai informacijos?"},
			}},
			{"choices", [][]string{{"list_name", "name", "label::Norsk bokmål (nb)", "label::Lietuvių (lt)"},
				{"yn", "yes", "Ja", "Taip"}, {"yn", "no", "Nei", "Ne"}}},
			{"settings", [][]string{{"form_title", "form_id", "default_language"}, {"Pårørende", "parorende_lt", "nb"}}},
			{"languages", [][]string{{"code", "name", "direction", "status", "title"},
				{"nb", "", "", "reviewed"}, {"lt", "Lietuvių", "ltr", "draft", "Artimieji"}}},
		},
		check: func(t *testing.T, imp *surveys.XLSFormImport) {
			in := imp.Instrument
			if !slices.Equal(in.LanguageCodes(), []string{"nb", "lt"}) || in.Title["lt"] != "Artimieji" || in.LanguageInfo("lt").Name != "Lietuvių" {
				t.Errorf("languages %+v, title %v", in.Languages, in.Title)
			}
			if len(in.MissingTexts("lt")) != 0 {
				t.Errorf("lt lacks %v", in.MissingTexts("lt"))
			}
			wantWarnings(t, imp)
		},
	},
	{
		file: "refused_repeat.xlsx", // a repeat: refused for the repeat only
		sheets: []sheet{
			{"survey", [][]string{
				{"type", "name", "label::English (en)", "repeat_count"},
				{"integer", "n_children", "How many children do you have?"},
				{"begin_repeat", "child", "Child", "${n_children}"},
				{"integer", "child_age", "Age of this child"},
				{"end_repeat"},
			}},
			{"settings", [][]string{{"form_title", "form_id"}, {"Children", "children"}}},
		},
		refused: []string{"survey!D1 column_repeat", "survey!A3 type_repeat", "survey!A5 type_repeat"},
	},
	{
		file: "refused_media_and_location.xlsx", // a photo, a picture in a label and a GPS point
		sheets: []sheet{
			{"survey", [][]string{
				{"type", "name", "label::English (en)", "media::image::English (en)"},
				{"note", "welcome", "Welcome", "logo.png"},
				{"image", "photo", "Take a photo of the room"},
				{"geopoint", "where", "Where are you?"},
				{"text", "name_of_unit", "Which unit?"},
			}},
			{"settings", [][]string{{"form_title", "form_id"}, {"Visit", "visit"}}},
		},
		refused: []string{"survey!D1 column_media", "survey!A3 type_media", "survey!A4 type_location"},
	},
	{
		file: "refused_device_metadata.xlsx", // identifying metadata
		sheets: []sheet{
			{"survey", [][]string{
				{"type", "name", "label::English (en)"},
				{"deviceid", "deviceid"},
				{"phonenumber", "phonenumber"},
				{"username", "username"},
				{"text", "feedback", "Your feedback"},
			}},
			{"settings", [][]string{{"form_title", "form_id"}, {"Feedback", "feedback"}}},
		},
		refused: []string{"survey!A2 type_metadata", "survey!A3 type_metadata", "survey!A4 type_metadata"},
	},
	{
		file: "refused_unknown_language.xlsx", // a language named without a code Stemme could find
		sheets: []sheet{
			{"survey", [][]string{
				{"type", "name", "label::English", "label::Kikuyu-ish"},
				{"text", "feedback", "Your feedback", "Maoni"},
			}},
			{"settings", [][]string{{"form_title", "form_id"}, {"Feedback", "feedback"}}},
		},
		refused: []string{"survey!D1 language_name"},
	},
}
