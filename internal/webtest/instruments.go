package webtest

import "github.com/stemme/stemme/surveys"

// Text is a text in bokmål and English.
func Text(nb, en string) surveys.Text { return surveys.Text{"nb": nb, "en": en} }

// Instrument is the fixture's one-page test instrument "test@1".
func Instrument() *surveys.Instrument {
	scale := surveys.ChoiceList{Name: "extent6"}
	for _, v := range []string{"1", "2", "3", "4", "5", "6"} {
		scale.Choices = append(scale.Choices, surveys.Choice{Value: v, Label: Text(v, v)})
	}
	scale.Choices = append(scale.Choices, surveys.Choice{Value: surveys.DontKnow, Label: Text("Vet ikke", "Don't know")})
	max := 120.0
	return &surveys.Instrument{
		Key: "test", Version: 1, Status: surveys.InstrumentPublished,
		Title:      Text("Testundersøkelse", "Test survey"),
		Languages:  []surveys.LanguageStatus{{Code: "nb", Status: "draft"}, {Code: "en", Status: "draft"}},
		FocusAreas: []surveys.FocusArea{{Key: "information", Name: Text("Informasjon", "Information")}},
		Lists: []surveys.ChoiceList{scale, {Name: "relation", Choices: []surveys.Choice{
			{Value: "child", Label: Text("Barn", "Child")}, {Value: "partner", Label: Text("Partner", "Partner")}}}},
		Pages: []surveys.Page{{Key: "p1", Title: Text("Om deg", "About you"), Questions: []surveys.Question{
			{Key: "relation", Type: surveys.TypeSingle, Segment: "relation", List: "relation", Required: true,
				Text: Text("Hvem er du pårørende til?", "Whom are you a relative of?")},
			{Key: "info_given", Type: surveys.TypeScale, List: "extent6", FocusArea: "information",
				Text: Text("Får du informasjon?", "Do you get information?")},
			{Key: "has_children", Type: surveys.TypeYesNo, Text: Text("Barn i familien?", "Children in the family?")},
			{Key: "children_info", Type: surveys.TypeScale, List: "extent6", FocusArea: "information",
				ShowIf: "${has_children} = 'yes'", Text: Text("Fikk barna informasjon?", "Did the children get information?")},
			{Key: "age", Type: surveys.TypeNumber, Max: &max, Text: Text("Alder", "Age")},
			{Key: "important", Type: surveys.TypeLongText, Text: Text("Hva er viktig for deg?", "What matters to you?")},
		}}},
	}
}

// PagedInstrument spreads the test questions over four pages; the third is
// shown only to those with children in the family.
func PagedInstrument() *surveys.Instrument {
	in := Instrument()
	in.Key = "paged"
	qs := in.Pages[0].Questions
	in.Pages = []surveys.Page{
		{Key: "about", Title: Text("Om deg", "About you"), Questions: qs[0:2]},
		{Key: "family", Title: Text("Familien", "The family"), Questions: qs[2:3]},
		{Key: "children", Title: Text("Barna", "The children"), Questions: qs[3:4]},
		{Key: "end", Title: Text("Til slutt", "Finally"), Questions: qs[4:6]},
	}
	return in
}
