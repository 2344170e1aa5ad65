package web

import (
	"slices"

	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/surveys"
)

// feedbackForm is what was entered in the feedback form, kept verbatim so an
// error never loses any of it.
type feedbackForm struct {
	Unit, Focus, Text                            string
	Contact                                      bool
	Name, Phone, Email, ContactLang, ContactTime string
	FollowUp                                     string
}

func (f feedbackForm) submission(sid, lang string, young bool) feedback.Submission {
	return feedback.Submission{SID: sid, Unit: f.Unit, Focus: f.Focus, Text: f.Text, Lang: lang, Young: young,
		WantsContact: f.Contact, FollowUp: f.FollowUp,
		Contact: feedback.Contact{Name: f.Name, Phone: f.Phone, Email: f.Email, Lang: f.ContactLang, Time: f.ContactTime}}
}

type option struct {
	Value, Label, Lang, Dir string
	Selected                bool
}

// fieldError is one error of the feedback form. Target is the id of the
// input the summary's link moves the focus to: the field itself, or the
// first choice of a group of radio buttons, never the fieldset around it.
type fieldError struct {
	Field, Target, Message string
}

// feedbackView is the feedback form page.
type feedbackView struct {
	Form feedbackForm
	// UnitName is set when the form is a unit's own (its link or poster):
	// the unit is fixed and not asked for.
	UnitName       string
	Young          bool
	SID, Sig       string
	Notice         string
	Errors         []fieldError
	Units, Focuses []option
	Langs          []option
	Times, Wishes  []option
	MaxText        int
	RetentionDays  int
	// Other is the link to the other wording (plain language or standard).
	Other string
	page  *page
}

// youngKeys are the texts that have a plain-language wording for young relatives.
var youngKeys = []string{"heading", "intro", "text_label", "text_help", "focus_label", "contact_heading",
	"contact_intro", "submit", "thanks_body", "thanks_contact"}

// Key is the message id of a text of the form, in plain language on the
// young relatives' path.
func (v *feedbackView) Key(name string) string {
	if v.Young && slices.Contains(youngKeys, name) {
		return "feedback.young." + name
	}
	return "feedback." + name
}

// Err is the message of a field's error, or "".
func (v *feedbackView) Err(field string) string {
	for _, e := range v.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// buildFeedbackView fills the choices of the form in the page's language.
func buildFeedbackView(p *page, units []surveys.Unit, f feedbackForm) *feedbackView {
	v := &feedbackView{Form: f, MaxText: feedback.MaxText, page: p}
	if f.ContactLang == "" {
		v.Form.ContactLang = p.Lang
	}
	if f.ContactTime == "" {
		v.Form.ContactTime = feedback.ContactTimes[0]
	}
	if f.FollowUp == "" {
		v.Form.FollowUp = feedback.FollowUpNone
	}
	v.Units = append(v.Units, option{Value: "", Label: p.T("feedback.unit_any"), Selected: f.Unit == ""})
	for _, u := range units {
		if serviceUnit(u) {
			v.Units = append(v.Units, option{Value: u.ID, Label: u.Name, Selected: u.ID == f.Unit})
		}
	}
	v.Focuses = append(v.Focuses, option{Value: "", Label: p.T("feedback.focus_none"), Selected: f.Focus == ""})
	for _, k := range feedback.FocusAreas() {
		v.Focuses = append(v.Focuses, option{Value: k, Label: feedback.FocusName(k, p.Lang), Selected: k == f.Focus})
	}
	for _, l := range locales.All {
		v.Langs = append(v.Langs, option{Value: l.Code, Label: l.Name, Lang: l.Code, Dir: dir(l.RTL),
			Selected: l.Code == v.Form.ContactLang})
	}
	for _, t := range feedback.ContactTimes {
		v.Times = append(v.Times, option{Value: t, Label: p.T("feedback.time." + t), Selected: t == v.Form.ContactTime})
	}
	for _, w := range feedback.FollowUpWishes {
		v.Wishes = append(v.Wishes, option{Value: w, Label: p.T("feedback.follow_up." + w), Selected: w == v.Form.FollowUp})
	}
	return v
}

// serviceUnit reports whether relatives can name the unit in the form: an
// active service unit, not a level of the hierarchy.
func serviceUnit(u surveys.Unit) bool {
	return u.Active && u.Kind != surveys.KindMunicipality && u.Kind != surveys.KindSector
}

// municipalityID is the id feedback about the whole municipality is filed
// under, so follow-up staff granted the municipality handle it; "" (admins
// only) when there is no municipality unit.
func municipalityID(units []surveys.Unit) string {
	for _, u := range units {
		if u.Kind == surveys.KindMunicipality && u.Active {
			return u.ID
		}
	}
	return ""
}

// feedbackThanksView is the page after a feedback was stored.
type feedbackThanksView struct {
	Young         bool
	Contact       bool
	DueDate       string
	RetentionDays int
}

func (v feedbackThanksView) Key(name string) string {
	return (&feedbackView{Young: v.Young}).Key(name)
}

// fbField is one field of the feedback form as its partials need it.
type fbField struct {
	Page               *page
	Field, Label, Help string
	Err                string
	MaxText            int
	Choices            []option
}

// target is the id of the first input of a field, where the error
// summary's link puts the focus.
func (v *feedbackView) target(field string) string {
	if ch := v.Field(field, "", "").Choices; len(ch) > 0 {
		return "fb-" + field + "-" + ch[0].Value
	}
	return "fb-" + field
}

// Field gathers what the partials of one field need.
func (v *feedbackView) Field(name, label, help string) fbField {
	f := fbField{Page: v.page, Field: name, Label: label, Help: help, Err: v.Err(name), MaxText: v.MaxText}
	switch name {
	case "contact_time":
		f.Choices = v.Times
	case "follow_up":
		f.Choices = v.Wishes
	}
	return f
}
