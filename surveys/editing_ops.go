package surveys

import (
	"fmt"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
)

// The edits an advisor makes to a draft, one at a time, each on an
// instrument in memory; EditDraft checks and stores the result. A mistake
// the advisor can fix comes back as Problems, like Validate's.

// ErrNoSuchPart means an edit names a page or question the draft does not have.
var ErrNoSuchPart = store.NotFound("surveys: no such page or question in the draft")

// Clone returns a deep copy, so an edit can be thrown away whole.
func (in *Instrument) Clone() *Instrument {
	b, err := bson.Marshal(in)
	if err != nil {
		panic(fmt.Sprintf("surveys: cloning instrument %s: %v", in.ID, err)) // every field marshals
	}
	var out Instrument
	if err := bson.Unmarshal(b, &out); err != nil {
		panic(fmt.Sprintf("surveys: cloning instrument %s: %v", in.ID, err))
	}
	return &out
}

// SourceLanguage is the language the instrument is written in first: its
// texts must always be complete, and translators work from it.
func (in *Instrument) SourceLanguage() string {
	if len(in.Languages) == 0 {
		return ""
	}
	return in.Languages[0].Code
}

// MergeText returns t with the languages in update replaced; an empty
// string removes that language's text. t itself is not changed.
func MergeText(t, update Text) Text {
	out := Text{}
	for l, s := range t {
		out[l] = s
	}
	for l, s := range update {
		if s == "" {
			delete(out, l)
		} else {
			out[l] = s
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// SetTitle changes the title and introduction in the languages given.
func (in *Instrument) SetTitle(title, intro Text) {
	t, i := MergeText(in.Title, title), MergeText(in.Intro, intro)
	in.textChanged("title", in.Title, t)
	in.textChanged("intro", in.Intro, i)
	in.Title, in.Intro = t, i
}

// SetLanguageStatus records a person's review of one language (or takes it back).
func (in *Instrument) SetLanguageStatus(code, status string) error {
	i := slices.IndexFunc(in.Languages, func(l LanguageStatus) bool { return l.Code == code })
	if i < 0 {
		return ErrNoSuchPart
	}
	if status != StatusDraft && status != StatusReviewed {
		var ps Problems
		ps.addID(fmt.Sprintf("languages[%d]", i), "language_status", "status must be draft or reviewed")
		return ps
	}
	in.Languages[i].Status = status
	return nil
}

// AddLanguage offers the instrument in one more language, as a draft to
// translate: any BCP 47 code, with its name in itself and direction
// ("ltr", "rtl") when they differ from what Language knows ("" for that).
func (in *Instrument) AddLanguage(code, name, dir string) error {
	var ps Problems
	canon, err := ParseLanguageCode(code)
	switch {
	case err != nil:
		ps.addID("languages", "language_unknown", "%q is not a language code (BCP 47, such as lt or fa-AF)", "Code", code)
	case in.HasLanguage(canon):
		ps.addID("languages", "language_offered", "the instrument is already offered in %q", "Code", canon)
	default:
		in.Languages = append(in.Languages, LanguageStatus{Code: canon, Status: StatusDraft})
		return in.SetLanguageDetails(canon, name, dir)
	}
	return ps
}

// SetLanguageDetails changes a language's name in itself and its direction;
// a value equal to what Language knows is not stored, so it follows CLDR.
func (in *Instrument) SetLanguageDetails(code, name, dir string) error {
	i := slices.IndexFunc(in.Languages, func(l LanguageStatus) bool { return l.Code == code })
	if i < 0 {
		return ErrNoSuchPart
	}
	known := Language(code)
	name = strings.TrimSpace(name)
	if name == known.Name {
		name = ""
	}
	if dir == known.Dir() {
		dir = ""
	}
	in.Languages[i].Name, in.Languages[i].Dir = name, dir
	return nil
}

// AddFocusArea adds a focus area (innsatsområde) with its name.
func (in *Instrument) AddFocusArea(key string, name Text) {
	in.textChanged("focus_area."+key, nil, name)
	in.FocusAreas = append(in.FocusAreas, FocusArea{Key: key, Name: MergeText(nil, name)})
}

// AddList adds a choice list with its first choice: a list without
// choices could not be answered.
func (in *Instrument) AddList(name, value string, label Text) {
	in.Lists = append(in.Lists, ChoiceList{Name: name})
	_ = in.AddChoice(len(in.Lists)-1, value, label)
}

// AddChoice appends a choice to a list.
func (in *Instrument) AddChoice(list int, value string, label Text) error {
	if list < 0 || list >= len(in.Lists) {
		return ErrNoSuchPart
	}
	l := &in.Lists[list]
	in.textChanged("choice."+l.Name+"."+value, nil, label)
	l.Choices = append(l.Choices, Choice{Value: value, Label: MergeText(nil, label)})
	return nil
}

// SetFocusAreaName changes a focus area's name in the languages given.
func (in *Instrument) SetFocusAreaName(i int, name Text) error {
	if i < 0 || i >= len(in.FocusAreas) {
		return ErrNoSuchPart
	}
	t := MergeText(in.FocusAreas[i].Name, name)
	in.textChanged("focus_area."+in.FocusAreas[i].Key, in.FocusAreas[i].Name, t)
	in.FocusAreas[i].Name = t
	return nil
}

// SetChoiceLabel changes one choice's label in the languages given.
func (in *Instrument) SetChoiceLabel(list, choice int, label Text) error {
	if list < 0 || list >= len(in.Lists) || choice < 0 || choice >= len(in.Lists[list].Choices) {
		return ErrNoSuchPart
	}
	c := &in.Lists[list].Choices[choice]
	t := MergeText(c.Label, label)
	in.textChanged("choice."+in.Lists[list].Name+"."+c.Value, c.Label, t)
	c.Label = t
	return nil
}

// AddPage appends an empty page and returns its index. Its key is made up
// (p1, p2, …): nothing refers to pages by key but the author's eye.
func (in *Instrument) AddPage(title Text) int {
	key := ""
	for n := len(in.Pages) + 1; key == ""; n++ {
		k := fmt.Sprintf("p%d", n)
		if !slices.ContainsFunc(in.Pages, func(p Page) bool { return p.Key == k }) {
			key = k
		}
	}
	in.textChanged("page."+key+".title", nil, title)
	in.Pages = append(in.Pages, Page{Key: key, Title: MergeText(nil, title)})
	return len(in.Pages) - 1
}

// SetPageTitle changes a page's title in the languages given.
func (in *Instrument) SetPageTitle(page int, title Text) error {
	if page < 0 || page >= len(in.Pages) {
		return ErrNoSuchPart
	}
	t := MergeText(in.Pages[page].Title, title)
	in.textChanged("page."+in.Pages[page].Key+".title", in.Pages[page].Title, t)
	in.Pages[page].Title = t
	return nil
}

// MovePage moves a page one place up (delta -1) or down (+1); at either
// end it stays. Conditions that end up before the question they refer to
// make EditDraft refuse the move.
func (in *Instrument) MovePage(page, delta int) error {
	if page < 0 || page >= len(in.Pages) {
		return ErrNoSuchPart
	}
	to := page + delta
	if to < 0 || to >= len(in.Pages) {
		return nil
	}
	in.Pages[page], in.Pages[to] = in.Pages[to], in.Pages[page]
	return nil
}

// DeletePage removes an empty page. A page with questions is refused, so
// one press of a button never deletes a dozen questions.
func (in *Instrument) DeletePage(page int) error {
	if page < 0 || page >= len(in.Pages) {
		return ErrNoSuchPart
	}
	if n := len(in.Pages[page].Questions); n > 0 {
		var ps Problems
		ps.addID(fmt.Sprintf("pages[%d]", page), "page_not_empty",
			"the page still holds %d questions; move or delete them first", "Count", n)
		return ps
	}
	in.Pages = slices.Delete(in.Pages, page, page+1)
	return nil
}

// QuestionAt finds a question by key: its page and its place on the page.
func (in *Instrument) QuestionAt(key string) (page, index int, ok bool) {
	for pi, p := range in.Pages {
		for qi, q := range p.Questions {
			if q.Key == key {
				return pi, qi, true
			}
		}
	}
	return -1, -1, false
}

// AddQuestion appends q to the page.
func (in *Instrument) AddQuestion(page int, q Question) error {
	if page < 0 || page >= len(in.Pages) {
		return ErrNoSuchPart
	}
	in.questionTextsChanged(Question{}, q)
	in.Pages[page].Questions = append(in.Pages[page].Questions, q)
	return nil
}

// ReplaceQuestion puts q in the place of the question with the key; q may
// have another key. Languages whose text or help changed go back to draft.
func (in *Instrument) ReplaceQuestion(key string, q Question) error {
	pi, qi, ok := in.QuestionAt(key)
	if !ok {
		return ErrNoSuchPart
	}
	old := in.Pages[pi].Questions[qi]
	in.renameTexts("question."+old.Key+".", "question."+q.Key+".")
	in.questionTextsChanged(old, q)
	in.Pages[pi].Questions[qi] = q
	return nil
}

// questionTextsChanged records the edits of a question's texts (see textChanged).
func (in *Instrument) questionTextsChanged(old, q Question) {
	id := "question." + q.Key
	in.textChanged(id+".text", old.Text, q.Text)
	in.textChanged(id+".help", old.Help, q.Help)
	in.textChanged(id+".constraint_msg", old.ConstraintMsg, q.ConstraintMsg)
}

// MoveQuestion moves a question one place up (delta -1) or down (+1). At
// the top of a page it moves to the end of the page before; at the bottom,
// to the start of the next, so a question can travel anywhere.
func (in *Instrument) MoveQuestion(key string, delta int) error {
	pi, qi, ok := in.QuestionAt(key)
	if !ok {
		return ErrNoSuchPart
	}
	qs := in.Pages[pi].Questions
	switch to := qi + delta; {
	case to >= 0 && to < len(qs):
		qs[qi], qs[to] = qs[to], qs[qi]
	case to < 0 && pi > 0:
		q := qs[qi]
		in.Pages[pi].Questions = slices.Delete(qs, qi, qi+1)
		in.Pages[pi-1].Questions = append(in.Pages[pi-1].Questions, q)
	case to >= len(qs) && pi < len(in.Pages)-1:
		q := qs[qi]
		in.Pages[pi].Questions = slices.Delete(qs, qi, qi+1)
		in.Pages[pi+1].Questions = slices.Insert(in.Pages[pi+1].Questions, 0, q)
	}
	return nil
}

// DeleteQuestion removes a question. A later condition that refers to it
// makes EditDraft refuse the deletion, naming that condition.
func (in *Instrument) DeleteQuestion(key string) error {
	pi, qi, ok := in.QuestionAt(key)
	if !ok {
		return ErrNoSuchPart
	}
	in.Pages[pi].Questions = slices.Delete(in.Pages[pi].Questions, qi, qi+1)
	return nil
}
